package dev.parley.server.limits;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.RateLimiter;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token bucket per key shared by all nodes: one hash in Redis, refilled and taken from in one Lua
 * step, so requests spread over any number of nodes spend one budget. Redis's answer is final.
 *
 * <p>The node's own bucket of the same rate ({@code local}) counts every request too, and answers
 * when Redis does not (see {@link RedisLimits}): a node never lets through more than the limit on
 * its own share, so an outage raises a client's budget at most to one limit per node, and takes
 * nothing away.
 *
 * <p>A refusal says when the next token can come at the earliest, and no other node can bring it
 * sooner (nodes only take tokens); until then this node refuses the key itself, so a client hammering
 * a spent budget costs no Redis round trip. Successes always ask Redis.
 */
public final class SharedRateLimit implements RateLimit {
    /**
     * KEYS[1] the bucket (hash: t tokens, ts last refill in ms); ARGV[1] 'take' or 'check', ARGV[2]
     * tokens per millisecond, ARGV[3] burst. Returns {allowed 1|0, milliseconds until a token}. A
     * bucket that would be full again expires, as a new bucket starts full.
     */
    static final RedisLimits.Script BUCKET = RedisLimits.Script.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
            local rate = tonumber(ARGV[2])
            local burst = tonumber(ARGV[3])
            local b = redis.call('HMGET', KEYS[1], 't', 'ts')
            local tokens = tonumber(b[1])
            local ts = tonumber(b[2])
            if tokens == nil or ts == nil then
              tokens = burst
              ts = now
            end
            if now > ts then
              tokens = math.min(burst, tokens + (now - ts) * rate)
              ts = now
            end
            if tokens >= 1 then
              if ARGV[1] == 'take' then
                tokens = tokens - 1
                redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(ts))
                redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
              end
              return {1, 0}
            end
            return {0, math.ceil((1 - tokens) / rate)}
            """);

    private static final int MAX_REFUSALS = 10_000;

    private final RedisLimits redis;
    private final String namespace;
    private final String perMillisecond;
    private final String burst;
    private final RateLimiter<String> local;
    /** Key → {@link System#nanoTime()} before which it has no token; guarded by itself, bounded. */
    private final Map<String, Long> refusedUntil = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REFUSALS;
        }
    };

    /**
     * @param namespace names this limit's keys in Redis (e.g. {@code sessions})
     * @param local     this node's buckets of the same rate and burst
     */
    public SharedRateLimit(RedisLimits redis, String namespace, double perSecond, int burst, RateLimiter<String> local) {
        this.redis = redis;
        this.namespace = namespace;
        this.perMillisecond = BigDecimal.valueOf(perSecond / 1000.0).toPlainString();
        this.burst = Integer.toString(burst);
        this.local = local;
    }

    @Override
    public Future<RateDecision> tryAcquire(String key) {
        RateDecision own = local.tryAcquire(key);
        return ask("take", key, own);
    }

    @Override
    public Future<RateDecision> check(String key) {
        RateDecision own = local.check(key);
        return ask("check", key, own);
    }

    private Future<RateDecision> ask(String op, String key, RateDecision own) {
        RateDecision known = knownRefusal(key);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return redis.run(BUCKET, List.of(RedisLimits.key(namespace, key)), List.of(op, perMillisecond, burst))
                .map(answer -> decision(key, answer))
                .otherwise(own);
    }

    private RateDecision decision(String key, Response answer) {
        if (answer.get(0).toLong() == 1) {
            return RateDecision.ALLOWED;
        }
        long millis = Math.max(1, answer.get(1).toLong());
        synchronized (refusedUntil) {
            refusedUntil.put(key, System.nanoTime() + millis * 1_000_000);
        }
        return new RateDecision.Limited(Math.max(1, (millis + 999) / 1000));
    }

    /** A refusal still in force, or null. */
    private RateDecision knownRefusal(String key) {
        synchronized (refusedUntil) {
            Long until = refusedUntil.get(key);
            if (until == null) {
                return null;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                refusedUntil.remove(key);
                return null;
            }
            return new RateDecision.Limited(Math.max(1, (left + 999_999_999) / 1_000_000_000));
        }
    }

    @Override
    public void evictIdle() {
        local.evictIdle();
        synchronized (refusedUntil) {
            long now = System.nanoTime();
            refusedUntil.values().removeIf(until -> until - now <= 0);
        }
    }
}
