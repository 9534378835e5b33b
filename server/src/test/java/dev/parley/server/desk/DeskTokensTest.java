package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.Connector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeskTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final DeskTokens tokens = new DeskTokens(SECRET, DeskTokens.DEFAULT_LIFETIME, clock, new SecureRandom());
    private final AccessTokens accessTokens = new AccessTokens(SECRET, Duration.ofHours(1), clock, new SecureRandom());
    private final DeskAgent sarah = new DeskAgent("agt_1", "con_demo", "Sarah", null, List.of("support"), 3);

    private String sign(JWTClaimsSet claims, byte[] secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder().audience("parley-desk").subject("agt_1").jwtID("j1")
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(60)));
    }

    @Test
    void anIssuedTokenVerifiesToTheAgentIdForTwelveHours() {
        var issued = tokens.issue(sarah);

        assertThat(issued.expiresInSeconds()).isEqualTo(43_200);
        assertThat(tokens.verify(issued.token())).contains("agt_1");
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertThat(tokens.verify(issued.token())).contains("agt_1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.verify(issued.token())).isEmpty();
    }

    @Test
    void aDeskTokenIsNotAnAccessToken() {
        assertThat(accessTokens.verify(tokens.issue(sarah).token())).isEmpty();
    }

    @Test
    void anAccessTokenIsNotADeskToken() {
        String access = accessTokens.issue(new Connector("con_demo", "h", "localhost", Instant.EPOCH, null)).token();

        assertThat(accessTokens.verify(access)).isPresent();
        assertThat(tokens.verify(access)).isEmpty();
    }

    @Test
    void aWrongAudienceIsRefused() throws Exception {
        assertThat(tokens.verify(sign(validClaims().build(), SECRET))).contains("agt_1");
        assertThat(tokens.verify(sign(validClaims().audience("someone-else").build(), SECRET))).isEmpty();
    }

    @Test
    void aBadSignatureIsRefused() throws Exception {
        byte[] other = "ffffffffffffffffffffffffffffffff".getBytes(StandardCharsets.UTF_8);
        assertThat(tokens.verify(sign(validClaims().build(), other))).isEmpty();
        String token = tokens.issue(sarah).token();
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + "AA")).isEmpty();
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String none = new PlainJWT(new PlainHeader(), validClaims().build()).serialize();

        assertThat(tokens.verify(none)).isEmpty();
    }

    @Test
    void tokensWithoutExpiryOrSubjectAndGarbageAreRefused() throws Exception {
        assertThat(tokens.verify(sign(validClaims().expirationTime(null).build(), SECRET))).isEmpty();
        assertThat(tokens.verify(sign(validClaims().subject(null).build(), SECRET))).isEmpty();
        assertThat(tokens.verify("not.a.jwt")).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }
}
