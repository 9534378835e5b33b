package dev.parley.server.auth;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link TokenBucket} per key (a session id, a client address...).
 *
 * <p><b>Memory bound.</b> At most {@code maxKeys} buckets are kept. A new key beyond that evicts the
 * least recently used bucket; {@link #evictIdle()} (call it now and then, e.g. once a minute) also
 * drops every bucket that has refilled completely. Dropping a full bucket loses nothing, since a new
 * bucket starts full. Dropping a non-full one under key pressure gives that key a fresh burst: a
 * deliberate trade, a little leniency in exchange for memory that cannot grow without limit. Choose
 * {@code maxKeys} well above the number of keys active at once so that only floods trigger it.
 *
 * <p>Thread-safe: the map is guarded by {@code this}; calls are short and never block.
 */
public final class RateLimiter<K> {
    private final double perSecond;
    private final int burst;
    private final Clock clock;
    private final int maxKeys;
    /** Guarded by {@code this}; access-ordered, so the eldest entry is the least recently used. */
    private final LinkedHashMap<K, TokenBucket> buckets;

    public RateLimiter(double perSecond, int burst, int maxKeys, Clock clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1");
        }
        new TokenBucket(perSecond, burst, clock); // validates the rate early, at construction
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, TokenBucket> eldest) {
                return size() > RateLimiter.this.maxKeys;
            }
        };
    }

    /** Takes a token from the key's bucket, creating a full bucket for a key not seen recently. */
    public synchronized RateDecision tryAcquire(K key) {
        return buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst, clock)).tryAcquire();
    }

    /**
     * What {@link #tryAcquire} would answer now, taking nothing. A key without a bucket is allowed and
     * gets none, so checking costs no memory.
     */
    public synchronized RateDecision check(K key) {
        TokenBucket bucket = buckets.get(key);
        return bucket == null ? RateDecision.ALLOWED : bucket.check();
    }

    /** Drops every bucket that has refilled completely; returns how many were dropped. */
    public synchronized int evictIdle() {
        int evicted = 0;
        for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().isFull()) {
                it.remove();
                evicted++;
            }
        }
        return evicted;
    }

    /** Number of buckets currently held, never more than {@code maxKeys}. */
    public synchronized int size() {
        return buckets.size();
    }
}
