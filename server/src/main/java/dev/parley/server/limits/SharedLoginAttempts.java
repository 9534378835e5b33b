package dev.parley.server.limits;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.desk.LoginLimits;
import dev.parley.server.desk.LoginThrottle;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@link LoginThrottle}'s three counts (per name and address, per name, per address) kept in Redis
 * for all nodes. {@link #begin} checks and counts all three in one atomic step, so parallel guesses
 * on several nodes are counted before any bcrypt runs, exactly as on one node.
 *
 * <p>The node's own {@link LoginThrottle} counts every attempt too and answers while Redis does not
 * (see {@code RedisLimits}): then a name can be tried at most the per-node limit on each node, never
 * without limit. Names are compared as the store looks them up (stripped, case-sensitive).
 *
 * <p>Why Redis and not PostgreSQL, though log-ins are few and security-relevant: a log-in is
 * unauthenticated, and every attempt would write to the store that journals every conversation
 * (an attacker could load it from any address); Redis counts expire by themselves where a table
 * needs a purge; and the fallback's worst case during a Redis outage is bounded and small (the
 * per-node limit on each node, e.g. 5 guesses per name and address per 15 minutes per node, each
 * still behind bcrypt's bounded pool). Counts outlive a node's restart, not a Redis restart.
 */
public final class SharedLoginAttempts implements LoginAttempts {
    private final SharedStrikes shared;
    private final LoginLimits limits;
    private final LoginThrottle local;

    public SharedLoginAttempts(SharedStrikes shared, LoginLimits limits, LoginThrottle local) {
        this.shared = shared;
        this.limits = limits;
        this.local = local;
    }

    @Override
    public Future<RateDecision> begin(String name, String address) {
        RateDecision own = local.begin(name, address);
        return shared.begin(all(name, address))
                .map(millis -> millis > 0 ? (RateDecision) new RateDecision.Limited(SharedStrikes.seconds(millis))
                        : RateDecision.ALLOWED)
                .otherwise(own);
    }

    @Override
    public Future<Void> succeeded(String name, String address) {
        local.succeeded(name, address);
        // The name's counts go; the address only gets this attempt back (see LoginThrottle).
        List<SharedStrikes.Count> counts = all(name, address);
        return Future.all(shared.clear(counts.subList(0, 2)), shared.refund(counts.subList(2, 3)))
                .<Void>mapEmpty().otherwiseEmpty();
    }

    @Override
    public Future<Void> abandoned(String name, String address) {
        local.abandoned(name, address);
        return shared.refund(all(name, address)).<Void>mapEmpty().otherwiseEmpty();
    }

    @Override
    public void evictIdle() {
        local.evictIdle();
    }

    /** Per (name, address), per name, per address: in this order. */
    private List<SharedStrikes.Count> all(String name, String address) {
        String key = name == null ? "" : name.strip();
        return List.of(
                SharedStrikes.Count.of("login.pair", key + "\n" + address, limits.failuresPerNameAndAddress(),
                        limits.lockout(), limits.lockout()),
                SharedStrikes.Count.of("login.name", key, limits.failuresPerName(), limits.lockout(), limits.lockout()),
                SharedStrikes.Count.of("login.address", address, limits.failuresPerAddress(), limits.lockout(),
                        limits.lockout()));
    }
}
