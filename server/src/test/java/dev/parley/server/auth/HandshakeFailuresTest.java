package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandshakeFailuresTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    /** Address: 3 failures, one back every 2 s. Token: 2 failures, one back every 10 s. */
    private final HandshakeFailures failures = new HandshakeFailures(
            new RateLimiter<>(0.5, 3, 100, clock), new RateLimiter<>(0.1, 2, 100, clock));

    @Test
    void aTokenIsLimitedOnceItHasFailedItsBurstWhileOtherTokensFromTheAddressAreNot() {
        failures.recordFailure("10.0.0.1", "jti:a");
        failures.recordFailure("10.0.0.1", "jti:a");

        assertThat(failures.check("10.0.0.1", "jti:a")).isEqualTo(new RateDecision.Limited(10));
        assertThat(failures.check("10.0.0.1", "jti:b")).isEqualTo(RateDecision.ALLOWED);
        clock.advance(Duration.ofSeconds(10));
        assertThat(failures.check("10.0.0.1", "jti:a")).isEqualTo(RateDecision.ALLOWED);
    }

    @Test
    void anAddressIsLimitedWhateverTheTokenOnceItHasFailedItsBurst() {
        failures.recordFailure("10.0.0.1", "jti:a");
        failures.recordFailure("10.0.0.1", "jti:b");
        failures.recordFailure("10.0.0.1", "jti:c");

        assertThat(failures.check("10.0.0.1", "jti:fresh")).isEqualTo(new RateDecision.Limited(2));
        assertThat(failures.check("10.0.0.2", "jti:fresh")).isEqualTo(RateDecision.ALLOWED);
    }

    @Test
    void whenBothAreLimitedTheLongerWaitIsAnnounced() {
        for (int i = 0; i < 3; i++) {
            failures.recordFailure("10.0.0.1", "jti:a");
        }
        assertThat(failures.check("10.0.0.1", "jti:a")).isEqualTo(new RateDecision.Limited(10));
    }

    @Test
    void checkingNeverSpendsTheBudget() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(failures.check("10.0.0.1", "jti:a").allowed()).isTrue();
        }
    }

    @Test
    void verifiedTokensCountByJtiAndOthersByADigestOfBoundedLength() {
        AccessClaims claims = new AccessClaims("con_1", "example.com", Instant.EPOCH, "abc");
        assertThat(HandshakeFailures.tokenKey(Optional.of(claims), "ignored")).isEqualTo("jti:abc");

        String huge = "x".repeat(8_000);
        String key = HandshakeFailures.tokenKey(Optional.empty(), huge);
        assertThat(key).startsWith("raw:").hasSizeLessThan(50);
        assertThat(HandshakeFailures.tokenKey(Optional.empty(), huge)).isEqualTo(key);
        assertThat(HandshakeFailures.tokenKey(Optional.empty(), huge + "y")).isNotEqualTo(key);
    }
}
