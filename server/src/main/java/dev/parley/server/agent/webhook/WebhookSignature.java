package dev.parley.server.agent.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature scheme (docs/webhook-agent.md): {@code X-Parley-Timestamp: <unix seconds>}
 * and {@code X-Parley-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. Signing
 * the timestamp with the body lets a bot refuse replayed requests: {@link #verify} rejects
 * timestamps further than the tolerance from its clock.
 */
public final class WebhookSignature {
    public static final String TIMESTAMP_HEADER = "X-Parley-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Parley-Signature";
    public static final String PREFIX = "sha256=";
    /** How far a request's timestamp may be from the bot's clock, either way. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    /** The {@code X-Parley-Signature} value for {@code body} sent at {@code timestamp} (unix seconds). */
    public static String sign(String secret, long timestamp, String body) {
        return PREFIX + HexFormat.of().formatHex(mac(secret, timestamp + "." + body));
    }

    /**
     * Whether {@code header} is the signature of {@code body} at {@code timestamp} and that timestamp
     * is within {@code tolerance} of {@code now}. Never throws on bad input: a missing, malformed or
     * stale header is simply not valid. The comparison takes the same time wherever the bytes differ.
     *
     * @param timestamp the {@code X-Parley-Timestamp} header as received
     */
    public static boolean verify(String secret, String timestamp, String body, String header, Instant now,
                                 Duration tolerance) {
        if (secret == null || timestamp == null || body == null || header == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        String value = header.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, seconds + "." + body), given);
    }

    private static byte[] mac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
