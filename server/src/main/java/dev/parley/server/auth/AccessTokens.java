package dev.parley.server.auth;

import dev.parley.server.store.Connector;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Mints and checks access tokens (PROTOCOL.md §2.1, §13.18): HS256 JWTs with {@code sub} = connector
 * id, {@code host}, {@code iat}, {@code exp} and a random {@code jti}, and no {@code aud}: a token
 * with an audience (a desk token, {@code aud = "parley-desk"}) is refused. Expiry is judged against the
 * injected clock, never the system time, so tests can move time. A token of a revoked connector is
 * refused like an invalid one, though its signature and expiry still hold (issue 9: revocation must
 * bite before the 24 h are up). Thread-safe.
 */
public final class AccessTokens {
    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    static final String HOST_CLAIM = "host";

    private final Hs256Jwt jwt;
    private final ConnectorRevocations revocations;

    /** Tokens that no revocation can stop (unit tests of the token format). */
    public AccessTokens(byte[] secret, Duration lifetime, Clock clock, SecureRandom random) {
        this(secret, lifetime, clock, random, ConnectorRevocations.none());
    }

    public AccessTokens(byte[] secret, Duration lifetime, Clock clock, SecureRandom random,
                        ConnectorRevocations revocations) {
        this.jwt = new Hs256Jwt(secret, lifetime, clock, random);
        this.revocations = revocations;
    }

    /**
     * A new token for the connector.
     *
     * @throws IllegalStateException if signing fails; answer with 500 {@code Failed to create access token}
     */
    public IssuedToken issue(Connector connector) {
        return jwt.issue(connector.id(), claims -> claims.claim(HOST_CLAIM, connector.host()));
    }

    /**
     * The token's claims if it is well-formed, HS256, signed with our secret, not yet expired and
     * its connector is not revoked. Never blocks: the revocation check is a lookup in memory.
     */
    public Optional<AccessClaims> verify(String token) {
        return jwt.verify(token)
                // Access tokens carry no audience; one that does (aud "parley-desk") is a desk token.
                .filter(claims -> claims.getAudience() == null || claims.getAudience().isEmpty())
                .map(claims -> new AccessClaims(claims.getSubject(), (String) claims.getClaim(HOST_CLAIM),
                        claims.getExpirationTime().toInstant(), claims.getJWTID()))
                .filter(claims -> !revocations.isRevoked(claims.connectorId()));
    }
}
