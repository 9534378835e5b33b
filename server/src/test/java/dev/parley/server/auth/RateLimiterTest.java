package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    @Test
    void eachKeyHasItsOwnBucket() {
        RateLimiter<String> limiter = new RateLimiter<>(1, 1, 100, clock);

        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a")).isEqualTo(new RateDecision.Limited(1));
        assertThat(limiter.tryAcquire("b").allowed()).isTrue();
    }

    @Test
    void checkTakesNothingAndCreatesNoBucket() {
        RateLimiter<String> limiter = new RateLimiter<>(1, 1, 100, clock);

        assertThat(limiter.check("a")).isEqualTo(RateDecision.ALLOWED);
        assertThat(limiter.check("a")).isEqualTo(RateDecision.ALLOWED);
        assertThat(limiter.size()).isZero();
        limiter.tryAcquire("a");
        assertThat(limiter.check("a")).isEqualTo(new RateDecision.Limited(1));
    }

    @Test
    void neverHoldsMoreBucketsThanMaxKeys() {
        RateLimiter<Integer> limiter = new RateLimiter<>(1, 1, 3, clock);

        for (int key = 0; key < 10_000; key++) {
            limiter.tryAcquire(key);
        }

        assertThat(limiter.size()).isEqualTo(3);
    }

    @Test
    void leastRecentlyUsedKeyIsEvictedFirst() {
        RateLimiter<String> limiter = new RateLimiter<>(1, 1, 2, clock);
        limiter.tryAcquire("old");
        limiter.tryAcquire("busy");
        limiter.tryAcquire("old"); // limited, but it makes "old" the most recently used
        limiter.tryAcquire("new"); // evicts "busy"

        assertThat(limiter.tryAcquire("old").allowed()).isFalse();
        assertThat(limiter.size()).isEqualTo(2);
    }

    @Test
    void evictIdleDropsOnlyBucketsThatHaveRefilledCompletely() {
        RateLimiter<String> limiter = new RateLimiter<>(1, 10, 100, clock);
        limiter.tryAcquire("quiet");
        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("chatty");
        }
        clock.advance(Duration.ofSeconds(1));

        assertThat(limiter.evictIdle()).isEqualTo(1);
        assertThat(limiter.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.evictIdle()).isEqualTo(1);
        assertThat(limiter.size()).isZero();
    }
}
