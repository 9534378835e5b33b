package dev.parley.server.limits;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.Strikes;
import io.vertx.core.Future;

/**
 * Failures counted per key with a lockout ({@link Strikes}), asked asynchronously: this node's
 * own ({@link #local}) or shared by every node ({@link SharedStrikeLimit}). Answers complete on the
 * caller's Vert.x context.
 */
public interface StrikeLimit {
    /** Allowed unless the key is locked; then the lockout's remaining seconds. Takes nothing. */
    Future<RateDecision> check(String key);

    /** Counts one failure; completes once it is counted, so the caller's next check sees it. */
    Future<Void> strike(String key);

    /** Drops what this node keeps for keys whose window and lockout are over. */
    void evictIdle();

    /** One node's counts: answered on the caller's thread, already complete. */
    static StrikeLimit local(Strikes<String> strikes) {
        return new StrikeLimit() {
            @Override
            public Future<RateDecision> check(String key) {
                return Future.succeededFuture(strikes.check(key));
            }

            @Override
            public Future<Void> strike(String key) {
                strikes.strike(key);
                return Future.succeededFuture();
            }

            @Override
            public void evictIdle() {
                strikes.evictIdle();
            }
        };
    }
}
