package dev.parley.server.http;

import static dev.parley.server.http.HandshakeTest.assertRefused;
import static dev.parley.server.http.HandshakeTest.query;
import static dev.parley.server.http.HandshakeTest.rawUpgrade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.ParleyConfig.RateLimit;
import dev.parley.server.store.Connector;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessing session ids is throttled (issue 9): a handshake that fails with 401 or 404 spends one of
 * the client address's and one of the token's failures; once either has none left, its handshakes get
 * 429 with {@code Retry-After} before any session is looked up. On loopback every client shares one
 * address, so each test makes the budget it is not about generous.
 */
class HandshakeThrottleTest {
    private static final String TOO_MANY = "too many failed connection attempts";
    private static final RateLimit GENEROUS = new RateLimit(1_000, 1_000);
    /** Three failures, then one more every 10 s. */
    private static final RateLimit THREE = new RateLimit(0.1, 3);

    @TempDir
    Path dataDir;
    private final MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
    private TestServer server;
    private Rest rest;

    private void start(RateLimit perAddress, RateLimit perToken) {
        server = TestServer.start(dataDir, c -> c.withHandshakeFailureLimits(perAddress, perToken)
                .withRates(c.sessionMessageRate(), GENEROUS), clock);
        rest = server.rest();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String guess() {
        return UUID.randomUUID().toString();
    }

    private void assertConnects(String sessionId, String token) {
        try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, null)) {
            assertThat(ws.replay().get(0).path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
        }
    }

    private void assertThrottled(String sessionId, String token, String retryAfter) {
        HandshakeTest.RawAnswer answer = assertRefused(rawUpgrade(server, query(sessionId, token)), 429, TOO_MANY);
        assertThat(answer.header("Retry-After")).as("Retry-After").isEqualTo(retryAfter);
    }

    @Test
    void guessingSessionIdsWithOneValidTokenGets429WithRetryAfterOnceItsFailuresAreSpent() {
        start(GENEROUS, THREE);
        String attacker = rest.accessToken();
        String victimToken = rest.accessToken();
        String victimSession = rest.createSession(victimToken, false);

        for (int i = 0; i < 3; i++) {
            assertRefused(rawUpgrade(server, query(guess(), attacker)), 404, "session not found");
        }
        assertThrottled(guess(), attacker, "10");
        // Refused before the lookup: even the right id does not get through with this token now.
        assertThrottled(victimSession, attacker, "10");
        assertThat(WsClient.refusedStatus(server.baseUrl(), guess(), attacker, null)).isEqualTo(429);

        // Another token from the same address is untouched, and so is the victim.
        assertRefused(rawUpgrade(server, query(guess(), rest.accessToken())), 404, "session not found");
        assertConnects(victimSession, victimToken);

        // A failure comes back after 10 s.
        clock.advance(Duration.ofSeconds(10));
        assertRefused(rawUpgrade(server, query(guess(), attacker)), 404, "session not found");
        assertThrottled(guess(), attacker, "10");
    }

    @Test
    void aCorrectHandshakeStillWorksAfterOthersFailedWithOtherTokensFromTheSameAddress() {
        start(GENEROUS, THREE);
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        for (int attacker = 0; attacker < 3; attacker++) {
            String attackerToken = rest.accessToken();
            for (int i = 0; i < 3; i++) {
                assertRefused(rawUpgrade(server, query(guess(), attackerToken)), 404, "session not found");
            }
            assertThrottled(guess(), attackerToken, "10");
        }

        assertConnects(sessionId, token);
        // §13.18: any valid token of the connector may resume, also a token minted now.
        assertConnects(sessionId, rest.accessToken());
    }

    @Test
    void failuresFromOneAddressAreThrottledWhateverTheToken() {
        start(THREE, GENEROUS);
        String sessionId = rest.createSession(rest.accessToken(), false);
        assertRefused(rawUpgrade(server, query(guess(), rest.accessToken())), 404, "session not found");
        assertRefused(rawUpgrade(server, query(sessionId, "garbage-1")), 401, "authentication failed");
        assertRefused(rawUpgrade(server, query(guess(), rest.accessToken())), 404, "session not found");

        assertThrottled(sessionId, rest.accessToken(), "10");
        assertThrottled(sessionId, "garbage-2", "10");

        clock.advance(Duration.ofSeconds(10));
        assertConnects(sessionId, rest.accessToken());
    }

    @Test
    void anUnverifiableTokenIsThrottledByItsOwnText() {
        start(GENEROUS, THREE);
        String sessionId = rest.createSession(rest.accessToken(), false);
        for (int i = 0; i < 3; i++) {
            assertRefused(rawUpgrade(server, query(sessionId, "garbage")), 401, "authentication failed");
        }

        assertThrottled(sessionId, "garbage", "10");
        assertRefused(rawUpgrade(server, query(sessionId, "other-garbage")), 401, "authentication failed");
    }

    @Test
    void aTokenOfAnotherConnectorSpendsItsFailuresOnSessionsItDoesNotOwn() {
        start(GENEROUS, THREE);
        try (SqliteStore store = SqliteStore.open(server.dataDir())) {
            store.createConnector(new Connector("con_other", server.connectorTokenHash("pct_other"), "example.com",
                    Instant.now(), null));
        }
        String sessionId = rest.createSession(rest.accessToken(), false);
        String foreign = rest.accessToken("pct_other", "example.com");
        for (int i = 0; i < 3; i++) {
            assertRefused(rawUpgrade(server, query(sessionId, foreign)), 401, "authentication failed");
        }

        assertThrottled(sessionId, foreign, "10");
    }

    @Test
    void successfulHandshakesSpendNoneOfTheFailureBudget() {
        start(THREE, THREE);
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        for (int i = 0; i < 10; i++) {
            assertConnects(sessionId, token);
        }

        for (int i = 0; i < 3; i++) {
            assertRefused(rawUpgrade(server, query(guess(), token)), 404, "session not found");
        }
        assertThrottled(sessionId, token, "10");
    }

    @Test
    void theConnectionLimitIsNotAFailure() {
        start(new RateLimit(0.1, 1), new RateLimit(0.1, 1));
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        java.util.List<WsClient> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(WsClient.connect(server.baseUrl(), sessionId, token, null));
            }
            for (int i = 0; i < 3; i++) {
                assertRefused(rawUpgrade(server, query(sessionId, token)), 429, "connection limit exceeded for session");
            }
        } finally {
            open.forEach(WsClient::close);
        }
        assertRefused(rawUpgrade(server, query(guess(), token)), 404, "session not found");
        assertThrottled(guess(), token, "10");
    }
}
