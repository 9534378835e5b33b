package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    @Test
    void fullBucketAllowsABurstThenLimits() {
        TokenBucket bucket = new TokenBucket(1, 3, clock);

        assertThat(bucket.tryAcquire()).isEqualTo(RateDecision.ALLOWED);
        assertThat(bucket.tryAcquire()).isEqualTo(RateDecision.ALLOWED);
        assertThat(bucket.tryAcquire()).isEqualTo(RateDecision.ALLOWED);
        assertThat(bucket.tryAcquire()).isEqualTo(new RateDecision.Limited(1));
    }

    @Test
    void checkSaysWhatTryAcquireWouldWithoutTakingAToken() {
        TokenBucket bucket = new TokenBucket(0.5, 2, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.check()).isEqualTo(RateDecision.ALLOWED);
        }
        bucket.tryAcquire();
        bucket.tryAcquire();

        assertThat(bucket.check()).isEqualTo(new RateDecision.Limited(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(bucket.check()).isEqualTo(RateDecision.ALLOWED);
        assertThat(bucket.tryAcquire()).isEqualTo(RateDecision.ALLOWED);
    }

    @Test
    void bucketRefillsAtItsRateAsTheClockMoves() {
        TokenBucket bucket = new TokenBucket(2, 2, clock);
        bucket.tryAcquire();
        bucket.tryAcquire();

        clock.advance(Duration.ofMillis(499));
        assertThat(bucket.tryAcquire().allowed()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryAcquire().allowed()).isTrue();
        assertThat(bucket.tryAcquire().allowed()).isFalse();
    }

    @Test
    void refillNeverExceedsTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, clock);
        clock.advance(Duration.ofHours(1));

        assertThat(bucket.tryAcquire().allowed()).isTrue();
        assertThat(bucket.tryAcquire().allowed()).isTrue();
        assertThat(bucket.tryAcquire().allowed()).isFalse();
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilTheNextTokenRoundedUp() {
        TokenBucket slow = new TokenBucket(0.2, 1, clock); // one token every 5 s
        slow.tryAcquire();

        assertThat(slow.tryAcquire()).isEqualTo(new RateDecision.Limited(5));
        clock.advance(Duration.ofMillis(2_500));
        assertThat(slow.tryAcquire()).isEqualTo(new RateDecision.Limited(3));
        clock.advance(Duration.ofMillis(2_400));
        assertThat(slow.tryAcquire()).isEqualTo(new RateDecision.Limited(1));
        clock.advance(Duration.ofMillis(100));
        assertThat(slow.tryAcquire()).isEqualTo(RateDecision.ALLOWED);
    }

    @Test
    void retryAfterIsAtLeastOneSecondEvenForFastRates() {
        TokenBucket fast = new TokenBucket(1_000, 1, clock);
        fast.tryAcquire();

        assertThat(fast.tryAcquire()).isEqualTo(new RateDecision.Limited(1));
    }

    @Test
    void clockGoingBackwardsAddsNoTokens() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:10Z"));
        TokenBucket bucket = new TokenBucket(1, 1, clock);
        bucket.tryAcquire();
        clock.advance(Duration.ofSeconds(-10));
        clock.advance(Duration.ofMillis(999));

        assertThat(bucket.tryAcquire().allowed()).isFalse();
    }

    @Test
    void nonsenseRatesAreRejected() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(Double.NaN, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateDecision.Limited(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
