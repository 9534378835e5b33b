package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorMessages;
import dev.parley.server.store.Connector;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectorAuthenticatorTest {
    private static final String TOKEN = "pct_good";
    private static final ConnectorTokenHasher HASHER = ConnectorTokenHasher.fromServerSecret(new byte[32]);
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryConnectorStore store = new InMemoryConnectorStore();
    private final ConnectorAuthenticator authenticator = new ConnectorAuthenticator(store, HASHER, clock);

    private Connector register(String id, String token, String host) {
        Connector c = new Connector(id, HASHER.hash(token), host, clock.instant(), null);
        store.createConnector(c);
        return c;
    }

    @Test
    void knownTokenWithMatchingHostIsAuthenticated() {
        Connector c = register("con_1", TOKEN, "yourcompany.com");

        assertThat(authenticator.authenticate(TOKEN, "https://app.yourcompany.com"))
                .isEqualTo(new AuthResult.Authenticated(c));
    }

    @Test
    void missingOrBlankHeadersAreRefusedWithMissingAuthenticationHeaders() {
        register("con_1", TOKEN, "yourcompany.com");
        AuthResult.Refused expected = new AuthResult.Refused(401, ErrorMessages.MISSING_AUTH_HEADERS);

        assertThat(authenticator.authenticate(null, "yourcompany.com")).isEqualTo(expected);
        assertThat(authenticator.authenticate(TOKEN, null)).isEqualTo(expected);
        assertThat(authenticator.authenticate("  ", "yourcompany.com")).isEqualTo(expected);
        assertThat(authenticator.authenticate(TOKEN, "")).isEqualTo(expected);
        assertThat(authenticator.authenticate(null, null)).isEqualTo(expected);
    }

    @Test
    void unknownTokenIsRefusedAsNotExisting() {
        register("con_1", TOKEN, "yourcompany.com");

        assertThat(authenticator.authenticate("pct_other", "yourcompany.com"))
                .isEqualTo(new AuthResult.Refused(401, ErrorMessages.CONNECTOR_TOKEN_UNKNOWN));
    }

    @Test
    void revokedTokenIsRefusedExactlyLikeAnUnknownOne() {
        register("con_1", TOKEN, "yourcompany.com");
        store.revokeConnector("con_1", clock.instant());

        assertThat(authenticator.authenticate(TOKEN, "yourcompany.com"))
                .isEqualTo(new AuthResult.Refused(401, ErrorMessages.CONNECTOR_TOKEN_UNKNOWN));
    }

    @Test
    void revocationDatedInTheFutureTakesEffectWhenThatTimeComes() {
        register("con_1", TOKEN, "yourcompany.com");
        store.revokeConnector("con_1", clock.instant().plus(Duration.ofHours(1)));

        assertThat(authenticator.authenticate(TOKEN, "yourcompany.com")).isInstanceOf(AuthResult.Authenticated.class);
        clock.advance(Duration.ofHours(1));
        assertThat(authenticator.authenticate(TOKEN, "yourcompany.com"))
                .isEqualTo(new AuthResult.Refused(401, ErrorMessages.CONNECTOR_TOKEN_UNKNOWN));
    }

    @Test
    void connectorWithoutHostIsRefusedAsMissingHostDomain() {
        register("con_1", TOKEN, null);
        register("con_2", "pct_blank", " ");
        AuthResult.Refused expected = new AuthResult.Refused(401, ErrorMessages.CONNECTOR_MISSING_HOST);

        assertThat(authenticator.authenticate(TOKEN, "yourcompany.com")).isEqualTo(expected);
        assertThat(authenticator.authenticate("pct_blank", "yourcompany.com")).isEqualTo(expected);
    }

    @Test
    void hostMismatchIsRefusedAsFailedToValidate() {
        register("con_1", TOKEN, "yourcompany.com");
        AuthResult.Refused expected = new AuthResult.Refused(401, ErrorMessages.CONNECTOR_HOST_MISMATCH);

        assertThat(authenticator.authenticate(TOKEN, "evilyourcompany.com")).isEqualTo(expected);
        assertThat(authenticator.authenticate(TOKEN, "not a host")).isEqualTo(expected);
    }

    @Test
    void onlyTheHashOfTheTokenIsLookedUp() {
        store.createConnector(new Connector("con_1", TOKEN, "yourcompany.com", Instant.EPOCH, null));

        // A store row holding the raw token (not its hash) must not authenticate that token.
        assertThat(authenticator.authenticate(TOKEN, "yourcompany.com"))
                .isEqualTo(new AuthResult.Refused(401, ErrorMessages.CONNECTOR_TOKEN_UNKNOWN));
    }
}
