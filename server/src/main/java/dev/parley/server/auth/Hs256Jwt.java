package dev.parley.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Signs and checks HS256 JWTs with {@code sub}, {@code iat}, {@code exp} and a random {@code jti}:
 * the part end-user access tokens and desk tokens share. Expiry is judged against the injected
 * clock, never the system time. Thread-safe.
 */
public final class Hs256Jwt {
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;

    public Hs256Jwt(byte[] secret, Duration lifetime, Clock clock, SecureRandom random) {
        if (secret.length < AccessTokens.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT secret must be at least " + AccessTokens.MIN_SECRET_BYTES + " bytes");
        }
        if (lifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("Token lifetime must be at least one second");
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

    /** A token for {@code subject} valid for the lifetime from now, with the caller's extra claims. */
    public IssuedToken issue(String subject, Consumer<JWTClaimsSet.Builder> extra) {
        // JWT times are whole seconds; truncating first keeps iat/exp and expiresIn consistent.
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        byte[] id = new byte[16];
        random.nextBytes(id);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
        extra.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
        return new IssuedToken(jwt.serialize(), lifetime.toSeconds());
    }

    /** The claims of a well-formed HS256 token signed with our secret, with sub and jti, not expired. */
    public Optional<JWTClaimsSet> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.strip());
            // Pin the algorithm: never let the token choose how it is checked.
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            if (claims.getSubject() == null || claims.getJWTID() == null || expiry == null
                    || !clock.instant().isBefore(expiry.toInstant())) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty(); // any malformed input is simply an invalid token
        }
    }
}
