package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ConnectorTokenHasherTest {
    private static final String DEMO_TOKEN = "parley-demo-token";
    private static final byte[] SECRET = "a server secret of 32 bytes or so".getBytes(StandardCharsets.US_ASCII);
    private final ConnectorTokenHasher hasher = ConnectorTokenHasher.fromServerSecret(SECRET);

    private static String sha256Hex(String token) {
        return HexFormat.of().formatHex(ConnectorTokenHasher.sha256(token));
    }

    @Test
    void theStoredValueOfAKnownTokenIsMarkedAndIsNotItsSha256() {
        // Known answer: SHA-256("abc").
        assertThat(sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        String stored = hasher.hash(DEMO_TOKEN);

        assertThat(stored).startsWith("h1:").matches("h1:[0-9a-f]{64}")
                .doesNotContain(sha256Hex(DEMO_TOKEN)).doesNotContain(DEMO_TOKEN);
        assertThat(ConnectorTokenHasher.isCurrent(stored)).isTrue();
        assertThat(ConnectorTokenHasher.isCurrent(sha256Hex(DEMO_TOKEN))).isFalse();
    }

    @Test
    void theSameTokenHashesAlikeUnderOneSecretAndDifferentlyUnderAnother() {
        assertThat(ConnectorTokenHasher.fromServerSecret(SECRET.clone()).hash(DEMO_TOKEN)).isEqualTo(hasher.hash(DEMO_TOKEN));
        assertThat(ConnectorTokenHasher.fromServerSecret(new byte[32]).hash(DEMO_TOKEN)).isNotEqualTo(hasher.hash(DEMO_TOKEN));
    }

    @Test
    void theKeyIsDerivedFromTheSecretNotTheJwtKeyItself() throws Exception {
        Mac raw = Mac.getInstance("HmacSHA256");
        raw.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String withJwtKey = "h1:" + HexFormat.of().formatHex(raw.doFinal(ConnectorTokenHasher.sha256(DEMO_TOKEN)));

        assertThat(hasher.hash(DEMO_TOKEN)).isNotEqualTo(withJwtKey);
    }

    @Test
    void upgradingALegacySha256GivesWhatHashingTheTokenGives() {
        assertThat(hasher.upgrade(sha256Hex(DEMO_TOKEN))).isEqualTo(hasher.hash(DEMO_TOKEN));
        assertThatThrownBy(() -> hasher.upgrade("hash")).isInstanceOf(IllegalArgumentException.class);
    }
}
