package dev.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofHours(1), new SplittableRandom(7));

    @Test
    void waitsDoubleWithJitterInTheUpperHalfAndStopAtTheMaximum() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.after(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(backoff.after(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
            assertThat(backoff.after(30)).isBetween(Duration.ofMinutes(30), Duration.ofHours(1));
        }
    }

    @Test
    void theDefaultsSpreadTheAttemptsOverHours() {
        WebhookDeliverySettings d = WebhookDeliverySettings.DEFAULTS;
        Duration shortest = Duration.ZERO;
        Duration longest = Duration.ZERO;
        for (int attempt = 1; attempt < d.maxAttempts(); attempt++) {
            Duration full = new Backoff(d.initialBackoff(), d.maxBackoff(), new SplittableRandom(1)).after(attempt);
            shortest = shortest.plus(full.dividedBy(2));
            longest = longest.plus(full.multipliedBy(2));
        }
        assertThat(shortest).isGreaterThan(Duration.ofMinutes(30));
        assertThat(longest).isLessThan(Duration.ofHours(12));
    }
}
