package dev.parley.server.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "s3cret";
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final long TS = NOW.getEpochSecond();
    private static final Duration FIVE_MINUTES = WebhookSignature.DEFAULT_TOLERANCE;

    @Test
    void signatureIsHexHmacSha256OfTimestampDotBody() {
        // Known answer: printf '1735732800.{"a":1}' | openssl dgst -sha256 -hmac s3cret
        assertThat(WebhookSignature.sign(SECRET, TS, "{\"a\":1}"))
                .isEqualTo("sha256=" + hmacHex("1735732800.{\"a\":1}"));
        assertThat(WebhookSignature.sign(SECRET, TS, "{}")).startsWith("sha256=").hasSize(7 + 64);
    }

    @Test
    void aSignatureMadeWithTheSameSecretVerifies() {
        String header = WebhookSignature.sign(SECRET, TS, "body");

        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), "body", header, NOW, FIVE_MINUTES)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), "body", header.toUpperCase().replace("SHA256=", "sha256="),
                NOW, FIVE_MINUTES)).as("hex case does not matter").isTrue();
    }

    @Test
    void anotherSecretAnotherBodyOrAnotherTimestampDoesNotVerify() {
        String header = WebhookSignature.sign(SECRET, TS, "body");

        assertThat(WebhookSignature.verify("other", Long.toString(TS), "body", header, NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), "body!", header, NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS + 1), "body", header, NOW, FIVE_MINUTES)).isFalse();
    }

    @Test
    void timestampsOlderOrNewerThanTheToleranceAreRefused() {
        long stale = TS - 301;
        long early = TS + 301;

        assertThat(WebhookSignature.verify(SECRET, Long.toString(stale), "b", WebhookSignature.sign(SECRET, stale, "b"),
                NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(early), "b", WebhookSignature.sign(SECRET, early, "b"),
                NOW, FIVE_MINUTES)).isFalse();
        long edge = TS - 300;
        assertThat(WebhookSignature.verify(SECRET, Long.toString(edge), "b", WebhookSignature.sign(SECRET, edge, "b"),
                NOW, FIVE_MINUTES)).isTrue();
    }

    @Test
    void missingOrMalformedHeadersAreSimplyInvalid() {
        String header = WebhookSignature.sign(SECRET, TS, "b");

        assertThat(WebhookSignature.verify(SECRET, null, "b", header, NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, "yesterday", "b", header, NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), "b", null, NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), "b", header.substring(7), NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), "b", "sha256=zz", NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), "b", "sha256=", NOW, FIVE_MINUTES)).isFalse();
    }

    private static String hmacHex(String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
