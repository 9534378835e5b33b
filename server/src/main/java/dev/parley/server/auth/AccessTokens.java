package dev.parley.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.server.store.Connector;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/**
 * Mints and checks access tokens (PROTOCOL.md §2.1, §13.18): HS256 JWTs with {@code sub} = connector
 * id, {@code host}, {@code iat}, {@code exp} and a random {@code jti}, and no {@code aud}: a token
 * with an audience (a desk token, {@code aud = "parley-desk"}) is refused. Expiry is judged against the
 * injected clock, never the system time, so tests can move time. Thread-safe.
 */
public final class AccessTokens {
    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    static final String HOST_CLAIM = "host";

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;

    public AccessTokens(byte[] secret, Duration lifetime, Clock clock, SecureRandom random) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (lifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("Access-token lifetime must be at least one second");
        }
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Unusable JWT secret", e);
        }
        this.lifetime = lifetime;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A new token for the connector.
     *
     * @throws IllegalStateException if signing fails; answer with 500 {@code Failed to create access token}
     */
    public IssuedToken issue(Connector connector) {
        // JWT times are whole seconds; truncating first keeps iat/exp and expiresIn consistent.
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(connector.id())
                .claim(HOST_CLAIM, connector.host())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(newTokenId())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign access token", e);
        }
        return new IssuedToken(jwt.serialize(), lifetime.toSeconds());
    }

    /** The token's claims if it is well-formed, HS256, signed with our secret and not yet expired. */
    public Optional<AccessClaims> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.strip());
            // Pin the algorithm: never let the token choose how it is checked.
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            return claimsOf(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException | RuntimeException e) {
            // Any malformed input is simply an invalid token (§2.2 "Invalid access token").
            return Optional.empty();
        }
    }

    private Optional<AccessClaims> claimsOf(JWTClaimsSet claims) throws ParseException {
        String subject = claims.getSubject();
        String host = claims.getStringClaim(HOST_CLAIM);
        Date expiry = claims.getExpirationTime();
        String tokenId = claims.getJWTID();
        // Access tokens carry no audience; one that does (aud "parley-desk") is a desk token.
        boolean hasAudience = claims.getAudience() != null && !claims.getAudience().isEmpty();
        if (subject == null || expiry == null || tokenId == null || hasAudience) {
            return Optional.empty();
        }
        Instant expiresAt = expiry.toInstant();
        if (!clock.instant().isBefore(expiresAt)) {
            return Optional.empty();
        }
        return Optional.of(new AccessClaims(subject, host, expiresAt, tokenId));
    }

    private String newTokenId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
