package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.ContextTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals the end-to-end test does not reach, on an injected clock and a real store. */
class ContextTokenVerifierTest {
    private static final String SECRET = "a-site-secret-of-forty-three-characters-xyz";
    private static final String CONTEXT_ID = "ctx_0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private SqliteStore store;
    private ContextTokenVerifier verifier;

    @BeforeEach
    void key() {
        store = SqliteStore.open(dir);
        store.upsertConnector(new Connector("con_demo", "hash", "localhost", Instant.EPOCH, null));
        ContextKeySealer sealer = ContextKeySealer.fromServerSecret(new byte[32], new SecureRandom());
        store.addContextKey(new ContextKey("con_demo", "k1",
                sealer.seal("con_demo", "k1", SECRET.getBytes(StandardCharsets.US_ASCII)), NOW));
        verifier = new ContextTokenVerifier(store, sealer, MutableClock.at(NOW.toString()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ContextVerdict verify(String token) {
        return verifier.verify(token, "con_demo", CONTEXT_ID);
    }

    @Test
    void aFreshTokenIsAcceptedWithItsFlatContextInOrder() {
        ContextVerdict verdict = verify(ContextTokens.sign("k1", SECRET, CONTEXT_ID, NOW.minusSeconds(10),
                NOW.plusSeconds(20), new java.util.LinkedHashMap<>(Map.of("plan", "gold"))));
        assertThat(verdict).isInstanceOf(ContextVerdict.Accepted.class);
        assertThat(((ContextVerdict.Accepted) verdict).json()).isEqualTo("{\"plan\":\"gold\"}");
    }

    @Test
    void garbageAnotherAlgorithmAMissingKidAndMissingTimesAreRefusedEachWithItsReason() throws Exception {
        assertThat(verify("not.a.jwt")).isEqualTo(new ContextVerdict.Refused(ContextRefusal.MALFORMED));
        assertThat(verify(signed(JWSAlgorithm.HS512, "k1", claims(NOW, NOW.plusSeconds(10)))))
                .isEqualTo(new ContextVerdict.Refused(ContextRefusal.NOT_HS256));
        assertThat(verify(signed(JWSAlgorithm.HS256, null, claims(NOW, NOW.plusSeconds(10)))))
                .isEqualTo(new ContextVerdict.Refused(ContextRefusal.NO_KEY_ID));
        assertThat(verify(signed(JWSAlgorithm.HS256, "k1", claims(null, NOW.plusSeconds(10)))))
                .isEqualTo(new ContextVerdict.Refused(ContextRefusal.NO_TIMES));
    }

    @Test
    void aTokenIssuedInTheFutureBeyondTheSkewIsRefusedAndOneJustAtExpiryToo() {
        assertThat(verify(ContextTokens.sign("k1", SECRET, CONTEXT_ID, NOW.plusSeconds(6), NOW.plusSeconds(20),
                Map.of("a", 1)))).isEqualTo(new ContextVerdict.Refused(ContextRefusal.NOT_YET_VALID));
        assertThat(verify(ContextTokens.sign("k1", SECRET, CONTEXT_ID, NOW.minusSeconds(30), NOW, Map.of("a", 1))))
                .isEqualTo(new ContextVerdict.Refused(ContextRefusal.EXPIRED));
    }

    @Test
    void arraysAndNullsInCtxAndAMissingCtxAreNotFlat() {
        for (Object ctx : new Object[] {Map.of("ids", List.of(1, 2)), null}) {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(CONTEXT_ID)
                    .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(10))).claim("ctx", ctx);
            assertThat(verify(signed(JWSAlgorithm.HS256, "k1", claims.build())))
                    .as("ctx %s", ctx).isEqualTo(new ContextVerdict.Refused(ContextRefusal.NOT_FLAT));
        }
        java.util.Map<String, Object> withNull = new java.util.HashMap<>();
        withNull.put("plan", null);
        assertThat(verify(signed(JWSAlgorithm.HS256, "k1", new JWTClaimsSet.Builder().subject(CONTEXT_ID)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(10))).claim("ctx", withNull).build())))
                .isEqualTo(new ContextVerdict.Refused(ContextRefusal.NOT_FLAT));
    }

    private static JWTClaimsSet claims(Instant iat, Instant exp) {
        return new JWTClaimsSet.Builder().subject(CONTEXT_ID).issueTime(iat == null ? null : Date.from(iat))
                .expirationTime(Date.from(exp)).claim("ctx", Map.of("a", 1)).build();
    }

    private static String signed(JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
            // HS512 needs a 512-bit key: the right secret twice, so only the algorithm is wrong.
            String key = JWSAlgorithm.HS512.equals(alg) ? SECRET + SECRET : SECRET;
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.US_ASCII)));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AssertionError(e);
        }
    }
}
