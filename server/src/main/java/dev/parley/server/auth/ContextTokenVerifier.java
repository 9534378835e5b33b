package dev.parley.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.protocol.codec.Json;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.ContextStore;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a verified-context token (PolyAI's "verified context injection"): an HS256 JWT whose
 * header {@code kid} names one of the session's connector's keys, whose {@code sub} is the
 * session's {@code context_id}, that lives at most 30 s ({@code exp - iat}) and is not expired, and
 * whose {@code ctx} claim is a flat object of strings, numbers and booleans of at most 8 KB.
 *
 * <p>The signature is checked before any claim, so an unsigned token learns nothing about which
 * conversation ids exist. The keys are read from the store on every check: a key removed with
 * the admin CLI stops working at once. Calls block (store read); thread-safe.
 */
public final class ContextTokenVerifier {
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(30);
    public static final int MAX_CTX_BYTES = 8192;
    /** How far a site's clock may run ahead of ours for {@code iat}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private final ContextStore keys;
    private final ContextKeySealer sealer;
    private final Clock clock;

    public ContextTokenVerifier(ContextStore keys, ContextKeySealer sealer, Clock clock) {
        this.keys = keys;
        this.sealer = sealer;
        this.clock = clock;
    }

    public ContextVerdict verify(String token, String connectorId, String contextId) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return refused(ContextRefusal.MALFORMED);
        }
        // Pin the algorithm: never let the token choose how it is checked.
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            return refused(ContextRefusal.NOT_HS256);
        }
        String keyId = jwt.getHeader().getKeyID();
        if (keyId == null || keyId.isBlank()) {
            return refused(ContextRefusal.NO_KEY_ID);
        }
        // Looked up under the session's connector only: another connector's key is unknown here.
        Optional<ContextKey> key = keys.findContextKey(connectorId, keyId);
        if (key.isEmpty()) {
            return refused(ContextRefusal.UNKNOWN_KEY);
        }
        if (!signedWith(jwt, key.get())) {
            return refused(ContextRefusal.BAD_SIGNATURE);
        }
        if (!contextId.equals(claims.getSubject())) {
            return refused(ContextRefusal.WRONG_SUBJECT);
        }
        Optional<ContextRefusal> timing = timing(claims.getIssueTime(), claims.getExpirationTime());
        if (timing.isPresent()) {
            return refused(timing.get());
        }
        return context(claims.getClaim("ctx"), keyId);
    }

    private boolean signedWith(SignedJWT jwt, ContextKey key) {
        byte[] secret = sealer.open(key.connectorId(), key.keyId(), key.sealedSecret());
        try {
            return jwt.verify(new MACVerifier(secret));
        } catch (JOSEException e) {
            return false; // e.g. a key too short for HS256 (the CLI never makes one)
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    private Optional<ContextRefusal> timing(Date issued, Date expires) {
        if (issued == null || expires == null) {
            return Optional.of(ContextRefusal.NO_TIMES);
        }
        Instant iat = issued.toInstant();
        Instant exp = expires.toInstant();
        Instant now = clock.instant();
        if (Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            return Optional.of(ContextRefusal.TOO_LONG_LIVED);
        }
        if (iat.isAfter(now.plus(CLOCK_SKEW))) {
            return Optional.of(ContextRefusal.NOT_YET_VALID);
        }
        if (!now.isBefore(exp)) {
            return Optional.of(ContextRefusal.EXPIRED);
        }
        return Optional.empty();
    }

    private static ContextVerdict context(Object ctx, String keyId) {
        if (!(ctx instanceof Map<?, ?> map)) {
            return refused(ContextRefusal.NOT_FLAT);
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object value = entry.getValue();
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                return refused(ContextRefusal.NOT_FLAT); // nested objects, arrays and null
            }
            flat.put(String.valueOf(entry.getKey()), value);
        }
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(flat);
        } catch (JsonProcessingException e) {
            return refused(ContextRefusal.NOT_FLAT);
        }
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_CTX_BYTES) {
            return refused(ContextRefusal.TOO_LARGE);
        }
        return new ContextVerdict.Accepted(Collections.unmodifiableMap(flat), json, keyId);
    }

    private static ContextVerdict refused(ContextRefusal reason) {
        return new ContextVerdict.Refused(reason);
    }
}
