package dev.parley.server.limits;

import dev.parley.server.auth.RateLimiter;
import dev.parley.server.auth.Strikes;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.desk.LoginLimits;
import dev.parley.server.desk.LoginThrottle;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Every request limit of a node, built in one place: on one node (memory fan-out) each is the
 * node's own, as before; with the Redis fan-out each is shared by all nodes through
 * {@link RedisLimits} and keeps the node's own count as its fallback. The per-session frame limit
 * is not here: every frame of a session, from any node, passes through the owner's actor, which
 * alone applies it (no Redis round trip per message).
 *
 * @param accessTokens  {@code POST /api/v1/access-token}, per (connector token, client address)
 * @param sessions      {@code POST /api/v1/sessions} and the context route, per access token
 * @param handshakes    failed WebSocket handshakes per address and per token
 * @param logins        desk log-in failures
 * @param badDeskTokens invalid desk tokens per address
 * @param redis         the shared backend, present with the Redis fan-out (the node closes it)
 */
public record NodeLimits(RateLimit accessTokens, RateLimit sessions, HandshakeThrottle handshakes,
                         LoginAttempts logins, StrikeLimit badDeskTokens, Optional<RedisLimits> redis) {

    /** Most keys each of the node's own limiters keeps; beyond that the least recently used goes. */
    public static final int KEYS = 100_000;

    /** The node's own limits only. */
    public static NodeLimits local(ParleyConfig config, LoginLimits login, Clock clock) {
        ParleyConfig.RateLimit http = config.httpRate();
        ParleyConfig.HandshakeFailureLimits failed = config.handshakeFailures();
        return new NodeLimits(
                new LocalRateLimit(buckets(http, clock)),
                new LocalRateLimit(buckets(http, clock)),
                new HandshakeThrottle(new LocalRateLimit(buckets(failed.perAddress(), clock)),
                        new LocalRateLimit(buckets(failed.perToken(), clock))),
                LoginAttempts.local(new LoginThrottle(login, KEYS, clock)),
                StrikeLimit.local(badTokens(login, clock)),
                Optional.empty());
    }

    /** Limits shared by all nodes through {@code redis}, each falling back to the node's own. */
    public static NodeLimits shared(ParleyConfig config, LoginLimits login, Clock clock, RedisLimits redis) {
        ParleyConfig.RateLimit http = config.httpRate();
        ParleyConfig.HandshakeFailureLimits failed = config.handshakeFailures();
        SharedStrikes strikes = new SharedStrikes(redis);
        return new NodeLimits(
                shared(redis, "access-token", http, clock),
                shared(redis, "sessions", http, clock),
                new HandshakeThrottle(shared(redis, "ws-failures.address", failed.perAddress(), clock),
                        shared(redis, "ws-failures.token", failed.perToken(), clock)),
                new SharedLoginAttempts(strikes, login, new LoginThrottle(login, KEYS, clock)),
                new SharedStrikeLimit(strikes, "desk-bad-tokens", login.badTokensPerMinute(), Duration.ofMinutes(1),
                        Duration.ofMinutes(1), badTokens(login, clock)),
                Optional.of(redis));
    }

    /** Drops idle keys of the node's own counts (call it once a minute). */
    public void evictIdle() {
        accessTokens.evictIdle();
        sessions.evictIdle();
        handshakes.evictIdle();
        logins.evictIdle();
        badDeskTokens.evictIdle();
    }

    private static SharedRateLimit shared(RedisLimits redis, String namespace, ParleyConfig.RateLimit rate, Clock clock) {
        return new SharedRateLimit(redis, namespace, rate.perSecond(), rate.burst(), buckets(rate, clock));
    }

    private static RateLimiter<String> buckets(ParleyConfig.RateLimit rate, Clock clock) {
        return new RateLimiter<>(rate.perSecond(), rate.burst(), KEYS, clock);
    }

    private static Strikes<String> badTokens(LoginLimits login, Clock clock) {
        return new Strikes<>(login.badTokensPerMinute(), Duration.ofMinutes(1), Duration.ofMinutes(1), KEYS, clock);
    }
}
