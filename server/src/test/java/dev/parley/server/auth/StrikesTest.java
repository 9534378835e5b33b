package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StrikesTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final Strikes<String> strikes = new Strikes<>(3, Duration.ofMinutes(1), Duration.ofMinutes(5), 100, clock);

    @Test
    void theLimitthFailureInTheWindowLocksTheKeyForTheLockout() {
        strikes.strike("a");
        strikes.strike("a");
        assertThat(strikes.check("a").allowed()).isTrue();

        strikes.strike("a");

        assertThat(strikes.check("a")).isEqualTo(new RateDecision.Limited(300));
        assertThat(strikes.check("b").allowed()).isTrue();
        clock.advance(Duration.ofSeconds(299).plusMillis(1));
        assertThat(strikes.check("a")).isEqualTo(new RateDecision.Limited(1));
        clock.advance(Duration.ofMillis(999));
        assertThat(strikes.check("a").allowed()).isTrue();
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        strikes.strike("a");
        strikes.strike("a");
        clock.advance(Duration.ofMinutes(1));

        strikes.strike("a");

        assertThat(strikes.check("a").allowed()).isTrue();
    }

    @Test
    void aRefundTakesBackTheFailureThatLockedTheKey() {
        strikes.strike("a");
        strikes.strike("a");
        strikes.strike("a");

        strikes.refund("a");

        assertThat(strikes.check("a").allowed()).isTrue();
    }

    @Test
    void neverHoldsMoreKeysThanMaxKeysAndEvictsThoseWhoseTimeIsOver() {
        Strikes<Integer> small = new Strikes<>(1, Duration.ofMinutes(1), Duration.ofMinutes(1), 3, clock);
        for (int key = 0; key < 10_000; key++) {
            small.strike(key);
        }
        assertThat(small.size()).isEqualTo(3);

        clock.advance(Duration.ofMinutes(1));

        assertThat(small.evictIdle()).isEqualTo(3);
        assertThat(small.size()).isZero();
    }
}
