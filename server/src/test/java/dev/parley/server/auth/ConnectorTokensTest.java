package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConnectorTokensTest {
    private final ConnectorTokens tokens = new ConnectorTokens(new SecureRandom());

    @Test
    void newTokenIsPrefixedUrlSafeBase64Of32RandomBytes() {
        String token = tokens.newToken();

        assertThat(token).startsWith("pct_").matches("pct_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.substring(4))).hasSize(32);
        assertThat(tokens.newToken()).isNotEqualTo(token);
    }

    @Test
    void connectorIdsArePrefixedAndDistinct() {
        assertThat(tokens.newConnectorId()).startsWith("con_").isNotEqualTo(tokens.newConnectorId());
    }
}
