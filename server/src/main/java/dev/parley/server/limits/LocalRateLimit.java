package dev.parley.server.limits;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.RateLimiter;
import io.vertx.core.Future;

/** One node's buckets ({@link RateLimiter}): answered on the caller's thread, already complete. */
public final class LocalRateLimit implements RateLimit {
    private final RateLimiter<String> limiter;

    public LocalRateLimit(RateLimiter<String> limiter) {
        this.limiter = limiter;
    }

    @Override
    public Future<RateDecision> tryAcquire(String key) {
        return Future.succeededFuture(limiter.tryAcquire(key));
    }

    @Override
    public Future<RateDecision> check(String key) {
        return Future.succeededFuture(limiter.check(key));
    }

    @Override
    public void evictIdle() {
        limiter.evictIdle();
    }
}
