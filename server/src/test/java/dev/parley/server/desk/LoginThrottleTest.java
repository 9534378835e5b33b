package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.auth.RateDecision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rules of {@link LoginThrottle} with its defaults: 5 per (name, address), 50 per name, 20 per address, 15 min. */
class LoginThrottleTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final LoginThrottle throttle = new LoginThrottle(LoginLimits.DEFAULTS, 1_000, clock);

    @Test
    void parallelAttemptsAreCountedWhenTheyBeginNotWhenBcryptAnswers() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.begin("Sarah", "10.0.0.1").allowed()).isTrue();
        }

        assertThat(throttle.begin("Sarah", "10.0.0.1")).isEqualTo(new RateDecision.Limited(900));
    }

    @Test
    void aNameGuessedFromManyAddressesIsLockedForEveryoneOnlyAfterFiftyFailures() {
        for (int address = 0; address < 10; address++) {
            for (int i = 0; i < 5; i++) {
                assertThat(throttle.begin("Sarah", "10.0.0." + address).allowed()).isTrue();
            }
        }

        assertThat(throttle.begin("Sarah", "192.168.1.1")).isEqualTo(new RateDecision.Limited(900));
        assertThat(throttle.begin("Tom", "192.168.1.1").allowed()).isTrue();
    }

    @Test
    void aSuccessClearsTheNameButOnlyRefundsItsOwnAttemptOnTheAddress() {
        for (int i = 0; i < 19; i++) {
            throttle.begin("user" + i, "10.0.0.1");
        }
        throttle.begin("Tom", "10.0.0.1");
        throttle.succeeded("Tom", "10.0.0.1");

        assertThat(throttle.begin("user-19", "10.0.0.1").allowed()).isTrue(); // the 20th failure: allowed, then locks
        assertThat(throttle.begin("Tom", "10.0.0.1")).isEqualTo(new RateDecision.Limited(900));
    }

    @Test
    void anAttemptThePoolCouldNotTakeDoesNotCount() {
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.begin("Sarah", "10.0.0.1").allowed()).isTrue();
            throttle.abandoned("Sarah", "10.0.0.1");
        }
        clock.advance(Duration.ofSeconds(1));

        assertThat(throttle.begin("Sarah", "10.0.0.1").allowed()).isTrue();
    }
}
