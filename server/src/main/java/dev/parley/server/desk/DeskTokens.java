package dev.parley.server.desk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.IssuedToken;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
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

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;

    public DeskTokens(byte[] secret, Duration lifetime, Clock clock, SecureRandom random) {
        if (secret.length < AccessTokens.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT secret must be at least " + AccessTokens.MIN_SECRET_BYTES + " bytes");
        }
        if (lifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("Desk-token lifetime must be at least one second");
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

    /** A token for the agent, valid for the lifetime from now. */
    public IssuedToken issue(DeskAgent agent) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        byte[] id = new byte[16];
        random.nextBytes(id);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(AUDIENCE)
                .subject(agent.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign desk token", e);
        }
        return new IssuedToken(jwt.serialize(), lifetime.toSeconds());
    }

    /** The agent id if the token is HS256, signed with our secret, for the desk and not expired. */
    public Optional<String> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.strip());
            // Pin the algorithm (this also refuses alg "none", which SignedJWT.parse rejects anyway).
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            List<String> audience = claims.getAudience();
            Date expiry = claims.getExpirationTime();
            if (audience == null || !audience.contains(AUDIENCE) || claims.getSubject() == null
                    || claims.getJWTID() == null || expiry == null
                    || !clock.instant().isBefore(expiry.toInstant())) {
                return Optional.empty();
            }
            return Optional.of(claims.getSubject());
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
