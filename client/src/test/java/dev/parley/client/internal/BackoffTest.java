package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delayDoublesFromOneSecondUpToTheThirtySecondCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, () -> 0.5);
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(100)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsTheDelayBothWays() {
        assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(30), 0.2, () -> 0.0).delay(1))
                .isEqualTo(Duration.ofSeconds(8));
        assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(30), 0.2, () -> 1.0).delay(1))
                .isEqualTo(Duration.ofSeconds(12));
    }
}
