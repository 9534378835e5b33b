package dev.parley.server.operator;

import dev.parley.server.auth.JwtSecret;
import dev.parley.server.config.ParleyConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the store keeps of an operator API key, the scheme of connector tokens
 * ({@link dev.parley.server.auth.ConnectorTokenHasher}) with a key of its own: {@code h1:} + hex of
 * HMAC-SHA256(k, SHA-256(key)), k = HMAC-SHA256(server secret, "parley operator key v1"). A copied
 * database gives nothing away without the secret, and a connector token's hash can never pass for
 * an operator key's. Deterministic, so a presented key is found by its hash.
 */
public final class OperatorKeyHasher {
    private static final byte[] KEY_PURPOSE = "parley operator key v1".getBytes(StandardCharsets.US_ASCII);
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    private OperatorKeyHasher(byte[] derivedKey) {
        this.key = new SecretKeySpec(derivedKey, HMAC);
    }

    public static OperatorKeyHasher fromServerSecret(byte[] serverSecret) {
        return new OperatorKeyHasher(hmac(new SecretKeySpec(serverSecret, HMAC), KEY_PURPOSE));
    }

    /** The hasher of the server configured by {@code config} (its {@code PARLEY_JWT_SECRET}, else the data directory's). */
    public static OperatorKeyHasher forConfig(ParleyConfig config) {
        return fromServerSecret(JwtSecret.forConfig(config));
    }

    public String hash(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return "h1:" + HexFormat.of().formatHex(hmac(key, digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
