package dev.parley.server.webhooks;

import java.time.Duration;

/**
 * How deliveries are made. Defaults: 10 attempts, back-off from 10 s doubling to at most 1 h (about
 * 2.5 h from the first attempt to the dead letter), 10 s per attempt, 16 in flight per node.
 *
 * @param lease how long a claimed row stays with its node; longer than an attempt, so only a node
 *              that died mid-attempt loses its rows to another
 */
public record WebhookDeliverySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                                      Duration attemptTimeout, int concurrency, Duration pollInterval,
                                      Duration lease) {
    public static final WebhookDeliverySettings DEFAULTS = new WebhookDeliverySettings(10, Duration.ofSeconds(10),
            Duration.ofHours(1), Duration.ofSeconds(10), 16, Duration.ofSeconds(1), Duration.ofSeconds(60));

    public WebhookDeliverySettings {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("max_attempts must be 1 to 100");
        }
        if (concurrency < 1 || concurrency > 1000) {
            throw new IllegalArgumentException("concurrency must be 1 to 1000");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("initial_backoff_seconds must be positive and at most max_backoff_seconds");
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("timeout_seconds must be positive");
        }
        if (lease.compareTo(attemptTimeout) <= 0) {
            throw new IllegalArgumentException("lease_seconds must be longer than timeout_seconds (a lease outlasts an attempt)");
        }
    }
}
