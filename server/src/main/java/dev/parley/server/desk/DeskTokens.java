package dev.parley.server.desk;

import dev.parley.server.auth.Hs256Jwt;
import dev.parley.server.auth.IssuedToken;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Desk tokens: HS256 JWTs with {@code aud = "parley-desk"}, {@code sub} = agent id, {@code iat},
 * {@code exp} and a random {@code jti}, signed with the access-token secret. The audience keeps the
 * two kinds apart: {@link AccessTokens} refuses tokens with an audience, and this class refuses
 * tokens without this one. Expiry is judged against the injected clock. Thread-safe.
 */
public final class DeskTokens {
    public static final String AUDIENCE = "parley-desk";
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

    private final Hs256Jwt jwt;

    public DeskTokens(byte[] secret, Duration lifetime, Clock clock, SecureRandom random) {
        this.jwt = new Hs256Jwt(secret, lifetime, clock, random);
    }

    /** A token for the agent, valid for the lifetime from now. */
    public IssuedToken issue(DeskAgent agent) {
        return jwt.issue(agent.id(), claims -> claims.audience(AUDIENCE));
    }

    /** The agent id if the token is HS256, signed with our secret, for the desk and not expired. */
    public Optional<String> verify(String token) {
        return jwt.verify(token)
                .filter(claims -> claims.getAudience() != null && claims.getAudience().contains(AUDIENCE))
                .map(claims -> claims.getSubject());
    }
}
