package dev.parley.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Throttles guessing on the WebSocket handshake. A session id is the capability to resume a session
 * (any valid token of its connector may, PROTOCOL.md §13.18), so handshakes that fail (401 bad
 * token, 401 token of another connector, 404 unknown session) are counted per client address and
 * per access token; once either has used up its budget, further handshakes from that address or
 * with that token are refused with 429 before the session is even looked up.
 *
 * <p>Only failures spend the budget: {@link #check} takes nothing, so many clients behind one NAT
 * address, and a client reconnecting all day, are never slowed down by their own successes. The
 * check and the count are not one atomic step; handshakes already past the check when a budget runs
 * out still finish, so a burst of concurrent guesses can overshoot by the number in flight.
 *
 * <p>Thread-safe: both limiters are.
 */
public final class HandshakeFailures {
    private final RateLimiter<String> byAddress;
    private final RateLimiter<String> byToken;

    public HandshakeFailures(RateLimiter<String> byAddress, RateLimiter<String> byToken) {
        this.byAddress = byAddress;
        this.byToken = byToken;
    }

    /** Limited when the address or the token has no failures left; the longer wait wins. Takes nothing. */
    public RateDecision check(String address, String tokenKey) {
        return either(byAddress.check(address), byToken.check(tokenKey));
    }

    /** Limited when either is; the longer wait wins. */
    public static RateDecision either(RateDecision a, RateDecision t) {
        if (a instanceof RateDecision.Limited la && t instanceof RateDecision.Limited lt) {
            return la.retryAfterSeconds() >= lt.retryAfterSeconds() ? la : lt;
        }
        return a.allowed() ? t : a;
    }

    /** Spends one failure of the address's budget and one of the token's. */
    public void recordFailure(String address, String tokenKey) {
        byAddress.tryAcquire(address);
        byToken.tryAcquire(tokenKey);
    }

    /** Drops the buckets of addresses and tokens that have not failed for a while (call once a minute). */
    public void evictIdle() {
        byAddress.evictIdle();
        byToken.evictIdle();
    }

    /**
     * The key a token's failures are counted under: its {@code jti} when it verified, otherwise a
     * digest of the raw string, so an unverifiable token of any length costs a bounded key.
     */
    public static String tokenKey(Optional<AccessClaims> claims, String rawToken) {
        if (claims.isPresent() && claims.get().tokenId() != null) {
            return "jti:" + claims.get().tokenId();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawToken.getBytes(StandardCharsets.UTF_8));
            return "raw:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
