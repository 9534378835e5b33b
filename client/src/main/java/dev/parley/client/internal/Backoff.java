package dev.parley.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect back-off with jitter (PROTOCOL.md §3.6): attempt 1 waits the initial
 * delay, each further attempt doubles it up to the cap, and the result is spread by
 * {@code ±jitter} so that clients dropped together do not return together. Immutable.
 */
public record Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {

    /** The wait before reconnect attempt {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long base = initial.toMillis();
        int doublings = Math.min(Math.max(0, attempt - 1), 30);
        long capped = Math.min(max.toMillis(), base << doublings);
        if (capped < 0) {
            capped = max.toMillis();
        }
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(capped * spread)));
    }
}
