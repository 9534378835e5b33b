package dev.parley.server.limits;

import dev.parley.server.auth.RateDecision;
import io.vertx.core.Future;

/**
 * A token bucket per key, asked asynchronously: this node's own ({@link LocalRateLimit}, answered
 * at once with no hop) or one shared by every node through Redis ({@link SharedRateLimit}). Either
 * way the answer completes on the caller's Vert.x context, so a route goes on where it started.
 */
public interface RateLimit {
    /** Takes a token from the key's bucket. */
    Future<RateDecision> tryAcquire(String key);

    /** What {@link #tryAcquire} would answer now, taking nothing. */
    Future<RateDecision> check(String key);

    /** Drops what this node keeps for keys that are idle (call it once a minute). */
    void evictIdle();
}
