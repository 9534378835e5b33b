package dev.parley.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: holds up to {@code burst} tokens, refills at {@code perSecond}, and each action
 * takes one. Time comes from the injected clock; a clock that goes backwards adds nothing.
 * Thread-safe (all state is guarded by {@code this}).
 */
public final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final double perSecond;
    private final int burst;
    private final Clock clock;
    /** Guarded by {@code this}. */
    private double tokens;
    /** Guarded by {@code this}: the moment {@link #tokens} was last brought up to date. */
    private Instant updatedAt;

    public TokenBucket(double perSecond, int burst, Clock clock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be a positive number");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.updatedAt = clock.instant();
    }

    /** Takes a token if one is available; otherwise says how long until one will be. */
    public synchronized RateDecision tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return RateDecision.ALLOWED;
        }
        return limited();
    }

    private RateDecision limited() {
        double secondsUntilOne = (1 - tokens) / perSecond;
        // Round up: a client that waits Retry-After seconds must then find a token.
        return new RateDecision.Limited(Math.max(1, (long) Math.ceil(secondsUntilOne)));
    }

    /**
     * What {@link #tryAcquire()} would answer now, without taking a token: lets a caller refuse early
     * and spend tokens only on the outcomes it counts (e.g. failures).
     */
    public synchronized RateDecision check() {
        refill();
        return tokens >= 1 ? RateDecision.ALLOWED : limited();
    }

    /** True once the bucket has refilled completely, i.e. it is indistinguishable from a new one. */
    public synchronized boolean isFull() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        Instant now = clock.instant();
        if (now.isAfter(updatedAt)) {
            double elapsedSeconds = Duration.between(updatedAt, now).toNanos() / NANOS_PER_SECOND;
            tokens = Math.min(burst, tokens + elapsedSeconds * perSecond);
            updatedAt = now;
        }
    }
}
