package dev.parley.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** Verified-context tokens made as a site's backend makes them (a real JWT library), and their submission. */
public final class ContextTokens {
    private ContextTokens() {
    }

    /** Valid for 30 s from now. */
    public static String sign(String kid, String secret, String sub, Map<String, Object> ctx) {
        Instant now = Instant.now();
        return sign(kid, secret, sub, now, now.plusSeconds(30), ctx);
    }

    /** HS256 with {@code kid}, claims sub, iat, exp and ctx; the secret's UTF-8 bytes are the key. */
    public static String sign(String kid, String secret, String sub, Instant iat, Instant exp, Map<String, Object> ctx) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(),
                    new JWTClaimsSet.Builder().subject(sub).issueTime(Date.from(iat)).expirationTime(Date.from(exp))
                            .claim("ctx", ctx).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code POST /api/v1/sessions/:id/context} with the user's access token, as a client submits it. */
    public static HttpResponse<String> submit(Rest rest, WsClient user, String token) {
        return rest.post("/api/v1/sessions/" + user.sessionId() + "/context",
                Map.of("Authorization", "Bearer " + user.accessToken(), "Content-Type", "application/json"),
                "{\"token\":\"" + token + "\"}");
    }
}
