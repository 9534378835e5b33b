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
        if (maxAttempts < 1 || concurrency < 1) {
            throw new IllegalArgumentException("maxAttempts and concurrency must be at least 1");
        }
        if (lease.compareTo(attemptTimeout) <= 0) {
            throw new IllegalArgumentException("the lease must outlast an attempt");
        }
    }
}
