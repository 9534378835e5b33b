package dev.parley.server.limits;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.Strikes;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * One failure count per key, shared by all nodes ({@link SharedStrikes}); the node's own
 * {@link Strikes} of the same rules counts every failure too and answers while Redis does not.
 */
public final class SharedStrikeLimit implements StrikeLimit {
    private final SharedStrikes shared;
    private final String namespace;
    private final int limit;
    private final Duration window;
    private final Duration lockout;
    private final Strikes<String> local;

    public SharedStrikeLimit(SharedStrikes shared, String namespace, int limit, Duration window, Duration lockout,
                             Strikes<String> local) {
        this.shared = shared;
        this.namespace = namespace;
        this.limit = limit;
        this.window = window;
        this.lockout = lockout;
        this.local = local;
    }

    @Override
    public Future<RateDecision> check(String key) {
        RateDecision own = local.check(key);
        return shared.check(count(key))
                .map(millis -> millis > 0 ? (RateDecision) new RateDecision.Limited(SharedStrikes.seconds(millis))
                        : RateDecision.ALLOWED)
                .otherwise(own);
    }

    @Override
    public Future<Void> strike(String key) {
        local.strike(key);
        return shared.strike(count(key)).<Void>mapEmpty().otherwiseEmpty();
    }

    @Override
    public void evictIdle() {
        local.evictIdle();
    }

    private List<SharedStrikes.Count> count(String key) {
        return List.of(SharedStrikes.Count.of(namespace, key, limit, window, lockout));
    }
}
