package dev.parley.server.auth;

import dev.parley.server.config.ParleyConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the store keeps of a connector token: {@code h1:} followed by the lower-case hex of
 * HMAC-SHA256(k, SHA-256(token)), where k = HMAC-SHA256(server secret, "parley connector token v1").
 *
 * <p>Why keyed: a hand-chosen token (the demo's {@code parley-demo-token}, say) has little entropy,
 * and a plain SHA-256 of it read from a copied database is found by guessing in no time. Without
 * the server secret (the data directory's {@code jwt.secret} or {@code PARLEY_JWT_SECRET}) the stored
 * value says nothing. Why a derived key: the JWT signing key is used for nothing but JWTs.
 * Why the inner SHA-256: rows written before this scheme hold SHA-256(token), so they are upgraded
 * in place by {@link #upgrade(String)} without anyone knowing the tokens. Still deterministic, so
 * the store finds a connector by the hash of the token presented.
 */
public final class ConnectorTokenHasher {
    /** Marks the scheme of a stored value; a value without it is a plain SHA-256 from before. */
    public static final String SCHEME = "h1:";
    private static final byte[] KEY_PURPOSE = "parley connector token v1".getBytes(StandardCharsets.US_ASCII);
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    private ConnectorTokenHasher(byte[] derivedKey) {
        this.key = new SecretKeySpec(derivedKey, HMAC);
    }

    /** The hasher of a server whose secret (JWT key) is {@code serverSecret}. */
    public static ConnectorTokenHasher fromServerSecret(byte[] serverSecret) {
        return new ConnectorTokenHasher(hmac(new SecretKeySpec(serverSecret, HMAC), KEY_PURPOSE));
    }

    /** The hasher of the server configured by {@code config}: its {@code PARLEY_JWT_SECRET}, else the data directory's. */
    public static ConnectorTokenHasher forConfig(ParleyConfig config) {
        return fromServerSecret(JwtSecret.forConfig(config));
    }

    /** The value stored for {@code token}. */
    public String hash(String token) {
        return keyed(sha256(token));
    }

    /** Whether {@code stored} is already in this scheme (and needs no {@link #upgrade}). */
    public static boolean isCurrent(String stored) {
        return stored.startsWith(SCHEME);
    }

    /**
     * The current value for a row that holds the plain SHA-256 hex of its token.
     *
     * @throws IllegalArgumentException if {@code legacySha256Hex} is not 64 hex digits
     */
    public String upgrade(String legacySha256Hex) {
        if (legacySha256Hex.length() != 64) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + legacySha256Hex.length() + " characters");
        }
        return keyed(HexFormat.of().parseHex(legacySha256Hex));
    }

    private String keyed(byte[] digest) {
        return SCHEME + HexFormat.of().formatHex(hmac(key, digest));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // Every Java platform is required to provide HmacSHA256.
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(e);
        }
    }
}
