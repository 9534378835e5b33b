package dev.parley.server.auth;

import dev.parley.server.config.ParleyConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals verified-context signing keys for the store: {@code s1:} + URL-safe base64 of a 12-byte
 * nonce and the AES-256-GCM ciphertext of the key, with the connector and key id as associated data.
 *
 * <p>Why sealed, not hashed: the server needs the key itself to check HMAC signatures. Why a key
 * derived from the server secret (the data directory's {@code jwt.secret} or {@code PARLEY_JWT_SECRET}):
 * a copied database, or a PostgreSQL reader, learns nothing without it, and the JWT signing key is
 * used for JWTs only. The associated data stops a sealed value from being moved to another
 * connector's row. Thread-safe.
 */
public final class ContextKeySealer {
    private static final String SCHEME = "s1:";
    private static final byte[] KEY_PURPOSE = "parley context key v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private ContextKeySealer(byte[] derivedKey, SecureRandom random) {
        this.key = new SecretKeySpec(derivedKey, "AES");
        this.random = random;
    }

    public static ContextKeySealer fromServerSecret(byte[] serverSecret, SecureRandom random) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverSecret, "HmacSHA256"));
            return new ContextKeySealer(mac.doFinal(KEY_PURPOSE), random);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The sealer of the server configured by {@code config}. */
    public static ContextKeySealer forConfig(ParleyConfig config, SecureRandom random) {
        return fromServerSecret(JwtSecret.forConfig(config), random);
    }

    public String seal(String connectorId, String keyId, byte[] secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, connectorId, keyId, secret);
        byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        return SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /**
     * The key sealed in {@code sealed} for this connector and key id.
     *
     * @throws IllegalStateException if it was sealed under another server secret or for another row
     */
    public byte[] open(String connectorId, String keyId, String sealed) {
        if (!sealed.startsWith(SCHEME)) {
            throw new IllegalStateException("context key " + keyId + " is not sealed with a known scheme");
        }
        byte[] in = Base64.getUrlDecoder().decode(sealed.substring(SCHEME.length()));
        byte[] nonce = java.util.Arrays.copyOf(in, NONCE_BYTES);
        byte[] body = java.util.Arrays.copyOfRange(in, NONCE_BYTES, in.length);
        return crypt(Cipher.DECRYPT_MODE, nonce, connectorId, keyId, body);
    }

    private byte[] crypt(int mode, byte[] nonce, String connectorId, String keyId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD((connectorId + "/" + keyId).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // Deliberately without the input: it is (a sealed) secret.
            throw new IllegalStateException("context key " + keyId + " cannot be unsealed with this server secret", e);
        }
    }
}
