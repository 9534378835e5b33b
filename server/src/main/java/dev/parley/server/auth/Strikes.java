package dev.parley.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failures counted per key (an agent name, a client address...) in a window that opens at the
 * first failure; the {@code limit}-th failure inside it locks the key for {@code lockout}. Unlike a
 * {@link TokenBucket}, only failures cost, and a caller can ask "may this key try?" without
 * spending anything, so the answer comes before any expensive work.
 *
 * <p><b>Memory bound.</b> As {@link RateLimiter}: at most {@code maxKeys} keys, the least recently
 * used dropped first, and {@link #evictIdle()} drops keys whose window and lockout are over.
 * Dropping a key under pressure forgives its failures: leniency traded for bounded memory.
 *
 * <p>Thread-safe: the map is guarded by {@code this}; calls are short and never block.
 */
public final class Strikes<K> {
    private final int limit;
    private final Duration window;
    private final Duration lockout;
    private final Clock clock;
    private final int maxKeys;
    /** Guarded by {@code this}; access-ordered, so the eldest entry is the least recently used. */
    private final LinkedHashMap<K, Count> counts;

    /** Guarded by the enclosing {@code Strikes}. */
    private static final class Count {
        Instant windowStart;
        int failures;
        Instant lockedUntil;
    }

    public Strikes(int limit, Duration window, Duration lockout, int maxKeys, Clock clock) {
        if (limit < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("limit and maxKeys must be at least 1");
        }
        if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("window and lockout must be positive");
        }
        this.limit = limit;
        this.window = window;
        this.lockout = lockout;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.counts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Count> eldest) {
                return size() > Strikes.this.maxKeys;
            }
        };
    }

    /** {@link RateDecision#ALLOWED} unless the key is locked; then the lockout's remaining seconds. */
    public synchronized RateDecision check(K key) {
        Count count = current(key);
        if (count == null || count.lockedUntil == null) {
            return RateDecision.ALLOWED;
        }
        long millis = Duration.between(clock.instant(), count.lockedUntil).toMillis();
        // Round up: a client that waits Retry-After seconds must then be let in.
        return new RateDecision.Limited(Math.max(1, (millis + 999) / 1000));
    }

    /** Counts one failure; the {@code limit}-th in the window locks the key from now on. */
    public synchronized void strike(K key) {
        Count count = current(key);
        Instant now = clock.instant();
        if (count == null) {
            count = new Count();
            count.windowStart = now;
            counts.put(key, count);
        }
        count.failures++;
        if (count.failures >= limit && count.lockedUntil == null) {
            count.lockedUntil = now.plus(lockout);
        }
    }

    /** Takes back one failure counted too early (the attempt never happened, or it succeeded). */
    public synchronized void refund(K key) {
        Count count = current(key);
        if (count != null && count.failures > 0) {
            count.failures--;
            if (count.failures < limit) {
                count.lockedUntil = null;
            }
        }
    }

    /** Forgets the key's failures and lockout. */
    public synchronized void clear(K key) {
        counts.remove(key);
    }

    /** Drops every key whose window and lockout are over; returns how many were dropped. */
    public synchronized int evictIdle() {
        Instant now = clock.instant();
        int evicted = 0;
        for (Iterator<Count> it = counts.values().iterator(); it.hasNext(); ) {
            if (expired(it.next(), now)) {
                it.remove();
                evicted++;
            }
        }
        return evicted;
    }

    /** Number of keys currently held, never more than {@code maxKeys}. */
    public synchronized int size() {
        return counts.size();
    }

    /** The key's live count, or null (dropping it) when its window and lockout are over. */
    private Count current(K key) {
        Count count = counts.get(key);
        if (count != null && expired(count, clock.instant())) {
            counts.remove(key);
            return null;
        }
        return count;
    }

    private boolean expired(Count count, Instant now) {
        if (count.lockedUntil != null) {
            return !now.isBefore(count.lockedUntil);
        }
        return !now.isBefore(count.windowStart.plus(window));
    }
}
