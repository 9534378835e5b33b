package dev.parley.server.limits;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.desk.LoginThrottle;
import io.vertx.core.Future;

/**
 * {@link LoginThrottle}'s rules asked asynchronously: this node's own counts ({@link #local}), or
 * counts shared by all nodes ({@link SharedLoginAttempts}) so wrong passwords on one node and then
 * another lock as if on one. Answers complete on the caller's Vert.x context.
 */
public interface LoginAttempts {
    /** Allowed (and counted as a failure until {@link #succeeded}) or refused with the longest lockout. */
    Future<RateDecision> begin(String name, String address);

    /** The attempt begun had the right password. */
    Future<Void> succeeded(String name, String address);

    /** The attempt begun never reached a password check: it does not count. */
    Future<Void> abandoned(String name, String address);

    /** Drops what this node keeps for counts that are over. */
    void evictIdle();

    /** One node's counts: answered on the caller's thread, already complete. */
    public static LoginAttempts local(LoginThrottle throttle) {
        return new LoginAttempts() {
            @Override
            public Future<RateDecision> begin(String name, String address) {
                return Future.succeededFuture(throttle.begin(name, address));
            }

            @Override
            public Future<Void> succeeded(String name, String address) {
                throttle.succeeded(name, address);
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> abandoned(String name, String address) {
                throttle.abandoned(name, address);
                return Future.succeededFuture();
            }

            @Override
            public void evictIdle() {
                throttle.evictIdle();
            }
        };
    }
}
