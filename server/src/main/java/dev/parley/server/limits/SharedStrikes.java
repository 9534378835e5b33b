package dev.parley.server.limits;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Failure counts with lockouts ({@link dev.parley.server.auth.Strikes}'s rules) kept in Redis for
 * all nodes, several counts in one atomic step: a log-in checks and counts its three keys at once,
 * so parallel attempts on different nodes cannot all slip in before the last one counts. Each count
 * is a hash (w window start, f failures, l locked until, all in Redis milliseconds) that expires
 * when its window or lockout ends, so Redis holds no count longer than it matters.
 */
public final class SharedStrikes {
    /**
     * ARGV[1] the operation: 'begin' (refuse if any key is locked, else strike them all), 'check',
     * 'strike', 'refund' (take one failure back; below the limit unlocks) or 'clear'. Then per key
     * limit, window ms, lockout ms. Returns the longest remaining lockout in ms (0: none); 'begin'
     * strikes only when it returns 0.
     */
    static final RedisLimits.Script SCRIPT = RedisLimits.Script.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local op = ARGV[1]
            if op == 'clear' then
              for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
              return 0
            end
            local wait = 0
            for i = 1, #KEYS do
              local locked = tonumber(redis.call('HGET', KEYS[i], 'l'))
              if locked ~= nil and locked - now > wait then wait = locked - now end
            end
            if op == 'check' or (op == 'begin' and wait > 0) then return wait end
            for i = 1, #KEYS do
              local k = KEYS[i]
              local limit = tonumber(ARGV[3 * i - 1])
              local window = tonumber(ARGV[3 * i])
              local lockout = tonumber(ARGV[3 * i + 1])
              if op == 'refund' then
                local f = tonumber(redis.call('HGET', k, 'f'))
                if f ~= nil and f > 0 then
                  f = f - 1
                  redis.call('HSET', k, 'f', f)
                  if f < limit and redis.call('HEXISTS', k, 'l') == 1 then
                    redis.call('HDEL', k, 'l')
                    local ends = tonumber(redis.call('HGET', k, 'w')) + window
                    if ends <= now then redis.call('DEL', k) else redis.call('PEXPIREAT', k, ends) end
                  end
                end
              else
                if redis.call('EXISTS', k) == 0 then
                  redis.call('HSET', k, 'w', now, 'f', 0)
                  redis.call('PEXPIRE', k, window)
                end
                local f = redis.call('HINCRBY', k, 'f', 1)
                if f >= limit and redis.call('HEXISTS', k, 'l') == 0 then
                  redis.call('HSET', k, 'l', now + lockout)
                  redis.call('PEXPIRE', k, lockout)
                end
              end
            end
            return 0
            """);

    /** One count: its Redis key and its rules. */
    public record Count(String redisKey, int limit, Duration window, Duration lockout) {
        /** The count of {@code key} in {@code namespace}. */
        public static Count of(String namespace, String key, int limit, Duration window, Duration lockout) {
            return new Count(RedisLimits.key(namespace, key), limit, window, lockout);
        }
    }

    private final RedisLimits redis;

    public SharedStrikes(RedisLimits redis) {
        this.redis = redis;
    }

    /** Refuses (the longest lockout in ms, over 0) if any count is locked; else strikes all and answers 0. */
    public Future<Long> begin(List<Count> counts) {
        return run("begin", counts);
    }

    /** The longest remaining lockout in ms among the counts, 0 if none. */
    public Future<Long> check(List<Count> counts) {
        return run("check", counts);
    }

    public Future<Long> strike(List<Count> counts) {
        return run("strike", counts);
    }

    public Future<Long> refund(List<Count> counts) {
        return run("refund", counts);
    }

    public Future<Long> clear(List<Count> counts) {
        return run("clear", counts);
    }

    private Future<Long> run(String op, List<Count> counts) {
        List<String> keys = new ArrayList<>(counts.size());
        List<String> args = new ArrayList<>(1 + 3 * counts.size());
        args.add(op);
        for (Count count : counts) {
            keys.add(count.redisKey());
            args.add(Integer.toString(count.limit()));
            args.add(Long.toString(count.window().toMillis()));
            args.add(Long.toString(count.lockout().toMillis()));
        }
        return redis.run(SCRIPT, keys, args).map(answer -> answer.toLong());
    }

    /** Milliseconds of lockout as the {@code Retry-After} seconds {@link dev.parley.server.auth.Strikes} gives. */
    public static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
