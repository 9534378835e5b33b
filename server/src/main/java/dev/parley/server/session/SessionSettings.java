package dev.parley.server.session;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Per-session limits and timeouts.
 *
 * @param queueCapacity client frames that may wait for a busy session before new ones are refused
 * @param idleWarning   how long before the inactivity end {@code EVENT_TYPE_SESSION_IDLE_WARNING} is
 *                      sent; zero (or a lead not shorter than the inactivity timeout) sends none
 * @param throttles     makes the per-session rate limiter for client frames (PROTOCOL.md §11.6)
 */
public record SessionSettings(
        int heartbeatIntervalSeconds,
        Duration idleTimeout,
        Duration inactivityTimeout,
        int maxConnections,
        int queueCapacity,
        Duration idleWarning,
        Supplier<Throttle> throttles) {

    /** Settings without an idle warning. */
    public SessionSettings(int heartbeatIntervalSeconds, Duration idleTimeout, Duration inactivityTimeout,
                           int maxConnections, int queueCapacity, Supplier<Throttle> throttles) {
        this(heartbeatIntervalSeconds, idleTimeout, inactivityTimeout, maxConnections, queueCapacity, Duration.ZERO,
                throttles);
    }

    /** True when an idle warning is due this long before the inactivity end. */
    public boolean warnsBeforeAbandoning() {
        return !idleWarning.isZero() && !idleWarning.isNegative() && idleWarning.compareTo(inactivityTimeout) < 0;
    }

    /** A rate limiter for one session's client frames. */
    public interface Throttle {
        boolean tryAcquire();
    }
}
