package dev.parley.server.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Creates connector tokens and connector ids. A token is shown once, when created; only its
 * {@link ConnectorTokenHasher#hash(String) keyed hash} is ever stored.
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

    private String randomText(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return URL_SAFE.encodeToString(buffer);
    }
}
