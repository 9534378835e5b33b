package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idle warning as a raw WebSocket client (an official SDK, say) sees it, with the server's clock
 * moved by the test: warning, then {@code REASON_USER_ABANDONED}; a frame after the warning
 * postpones both; a reconnect's replay holds no warning.
 */
class IdleWarningOverSocketTest {
    private static final Duration INACTIVITY = Duration.ofSeconds(5);
    private static final Duration LEAD = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theClientIsWarnedBeforeTheSessionIsAbandonedAndAFrameAfterTheWarningPostponesBoth() {
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        server = TestServer.start(dir, c -> c.withTimeouts(INACTIVITY, INACTIVITY).withSessionIdleWarning(LEAD), clock);
        try (WsClient ws = server.newSession(false)) {
            ws.replay();

            clock.advance(INACTIVITY.minus(LEAD));
            JsonNode warning = ws.next("EVENT_TYPE_SESSION_IDLE_WARNING");
            assertThat(warning.get("sequence").isNull()).isTrue();
            assertThat(warning.path("payload").path("seconds_remaining").asLong()).isEqualTo(LEAD.toSeconds());
            assertThat(warning.path("payload").path("ends_at").asText()).isEqualTo("2026-01-01T00:00:05.000Z");

            ws.assertNoMoreEvents(); // its heartbeat is the user's answer: a new window starts
            clock.advance(INACTIVITY.minus(LEAD));
            assertThat(ws.next("EVENT_TYPE_SESSION_IDLE_WARNING").path("payload").path("ends_at").asText())
                    .as("the end moved with the heartbeat").isEqualTo("2026-01-01T00:00:08.000Z");

            clock.advance(LEAD);
            assertThat(ws.next("EVENT_TYPE_SESSION_END").path("payload").path("reason").asText())
                    .isEqualTo("REASON_USER_ABANDONED");
            assertThat(ws.awaitClose()).isEqualTo(1000);

            try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
                assertThat(again.replay()).extracting(e -> e.path("type").asText())
                        .containsExactly("EVENT_TYPE_SESSION_START", "EVENT_TYPE_SESSION_END");
            }
        }
    }
}
