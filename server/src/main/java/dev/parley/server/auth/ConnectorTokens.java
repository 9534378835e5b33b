package dev.parley.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Creates connector tokens and connector ids, and hashes tokens for storage. A token is shown once,
 * when created; only {@link #hash(String)} of it is ever stored.
 */
public final class ConnectorTokens {
    /** Prefix that makes a leaked token recognisable to secret scanners and to people. */
    public static final String TOKEN_PREFIX = "pct_";
    public static final String ID_PREFIX = "con_";

    private static final int TOKEN_BYTES = 32;
    private static final int ID_BYTES = 12;
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    public ConnectorTokens(SecureRandom random) {
        this.random = random;
    }

    /** A new token: {@code pct_} followed by 32 random bytes, URL-safe base64. */
    public String newToken() {
        return TOKEN_PREFIX + randomText(TOKEN_BYTES);
    }

    /** A new connector id such as {@code con_Xq3...}; not secret, only unique. */
    public String newConnectorId() {
        return ID_PREFIX + randomText(ID_BYTES);
    }

    /**
     * SHA-256 of the token, lower-case hex. A fast unsalted hash is right here, unlike for
     * passwords: generated tokens carry 256 random bits, so there is nothing to brute-force or look
     * up in a table, and a deterministic hash lets the store find a connector by its token hash.
     */
    public static String hash(String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(e);
        }
    }

    private String randomText(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return URL_SAFE.encodeToString(buffer);
    }
}
