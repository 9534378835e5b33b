package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.server.store.Connector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

class AccessTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00.750Z");
    private final AccessTokens tokens = new AccessTokens(SECRET, Duration.ofHours(24), clock, new SecureRandom());
    private final Connector acme = new Connector("con_acme", "hash", "acme.com", Instant.EPOCH, null);

    @Test
    void issuedTokenVerifiesToItsConnectorHostAndExpiry() {
        IssuedToken issued = tokens.issue(acme);

        assertThat(issued.expiresInSeconds()).isEqualTo(86_400);
        AccessClaims claims = tokens.verify(issued.token()).orElseThrow();
        assertThat(claims.connectorId()).isEqualTo("con_acme");
        assertThat(claims.host()).isEqualTo("acme.com");
        assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2026-01-02T12:00:00Z"));
        assertThat(claims.tokenId()).isNotBlank();
    }

    @Test
    void everyTokenGetsItsOwnId() {
        String first = tokens.verify(tokens.issue(acme).token()).orElseThrow().tokenId();
        String second = tokens.verify(tokens.issue(acme).token()).orElseThrow().tokenId();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void tokenOfAnotherConnectorVerifiesAsThatConnector() {
        Connector other = new Connector("con_other", "hash2", "other.com", Instant.EPOCH, null);

        AccessClaims claims = tokens.verify(tokens.issue(other).token()).orElseThrow();

        assertThat(claims.connectorId()).isEqualTo("con_other");
        assertThat(claims.host()).isEqualTo("other.com");
    }

    @Test
    void tokenIsValidUntilJustBeforeExpiryAndRefusedFromThen() {
        String token = tokens.issue(acme).token();

        clock.advance(Duration.ofHours(24).minusMillis(751));
        assertThat(tokens.verify(token)).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = tokens.issue(acme).token();
        char last = token.charAt(token.length() - 5);
        String tampered = token.substring(0, token.length() - 5) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);

        assertThat(tokens.verify(tampered)).isEmpty();
    }

    @Test
    void tamperedClaimsAreRefused() {
        String[] parts = tokens.issue(acme).token().split("\\.");
        String forgedPayload = B64.encodeToString(
                "{\"sub\":\"con_other\",\"host\":\"acme.com\",\"exp\":9999999999,\"jti\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.verify(parts[0] + "." + forgedPayload + "." + parts[2])).isEmpty();
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        byte[] otherSecret = Arrays.copyOf(SECRET, SECRET.length);
        otherSecret[0] ^= 1;
        AccessTokens otherServer = new AccessTokens(otherSecret, Duration.ofHours(24), clock, new SecureRandom());

        assertThat(tokens.verify(otherServer.issue(acme).token())).isEmpty();
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        String header = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(
                "{\"sub\":\"con_acme\",\"host\":\"acme.com\",\"exp\":9999999999,\"jti\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.verify(header + "." + payload + ".")).isEmpty();
    }

    @Test
    void tokenSignedWithOtherHmacAlgorithmIsRefusedEvenWithOurSecret() throws Exception {
        byte[] longSecret = new byte[64];
        new SecureRandom().nextBytes(longSecret);
        AccessTokens verifier = new AccessTokens(longSecret, Duration.ofHours(1), clock, new SecureRandom());
        SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), new JWTClaimsSet.Builder()
                .subject("con_acme").claim("host", "acme.com").jwtID("x")
                .expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1)))).build());
        hs512.sign(new MACSigner(longSecret));

        assertThat(verifier.verify(hs512.serialize())).isEmpty();
        assertThat(verifier.verify(verifier.issue(acme).token())).isPresent();
    }

    @Test
    void tokenWithoutExpiryIsRefused() throws Exception {
        SignedJWT noExp = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject("con_acme").jwtID("x").build());
        noExp.sign(new MACSigner(SECRET));

        assertThat(tokens.verify(noExp.serialize())).isEmpty();
    }

    @Test
    void malformedInputIsRefusedWithoutThrowing() {
        assertThat(tokens.verify(null)).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("not-a-jwt")).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
        assertThat(tokens.verify("....")).isEmpty();
    }

    @Test
    void secretShorterThan256BitsIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new AccessTokens(new byte[31], Duration.ofHours(1), clock, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
