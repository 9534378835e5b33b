package dev.parley.server.webhooks;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: after failed attempt n the wait is uniform in [d/2, d] with
 * d = min(max, initial * 2^(n-1)). The jitter keeps many deliveries that failed together (a
 * receiver that was down) from all coming back in the same instant.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    Duration after(int failedAttempt) {
        long ceiling = max.toMillis();
        long d = initial.toMillis();
        for (int i = 1; i < failedAttempt && d < ceiling; i++) {
            d *= 2;
        }
        d = Math.min(d, ceiling);
        long half = d / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(d - half + 1)));
    }
}
