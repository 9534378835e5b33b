package dev.parley.server.session;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Per-session limits and timeouts.
 *
 * @param queueCapacity client frames that may wait for a busy session before new ones are refused
 * @param throttles     makes the per-session rate limiter for client frames (PROTOCOL.md §11.6)
 */
public record SessionSettings(
        int heartbeatIntervalSeconds,
        Duration idleTimeout,
        Duration inactivityTimeout,
        int maxConnections,
        int queueCapacity,
        Supplier<Throttle> throttles) {

    /** A rate limiter for one session's client frames. */
    public interface Throttle {
        boolean tryAcquire();
    }
}
