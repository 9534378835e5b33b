package dev.parley.server.store.transfer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fingerprint of the server secret an export was made under. Connector token hashes and sealed
 * context keys are keyed with that secret, so they work on the target only if it runs with the same
 * one; the import compares fingerprints and refuses a mismatch instead of leaving every token dead.
 * An HMAC of a fixed label: it tells whether two secrets are equal and nothing about either.
 */
final class SecretCheck {
    private static final byte[] LABEL = "parley export secret check v1".getBytes(StandardCharsets.US_ASCII);

    private SecretCheck() {
    }

    static String fingerprint(byte[] serverSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverSecret, "HmacSHA256"));
            byte[] digest = mac.doFinal(LABEL);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            // Every Java platform is required to provide HmacSHA256.
            throw new IllegalStateException(e);
        }
    }
}
