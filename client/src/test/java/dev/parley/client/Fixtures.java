package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.List;

/** Options pointing at a {@link TestServer}, and a plain-socket look at a session's history. */
final class Fixtures {
    static final Duration WAIT = Duration.ofSeconds(15);

    private Fixtures() {
    }

    /** Fast back-off so reconnect tests stay quick; everything else is the SDK default. */
    static ClientOptions.Builder options(TestServer server) {
        return ClientOptions.builder()
                .baseUrl(server.baseUrl())
                .connectorToken(TestServer.TOKEN)
                .host(TestServer.HOST)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 0.2);
    }

    /** The session's stored history as a fresh socket replays it from cursor 0. */
    static List<JsonNode> history(TestServer server, String sessionId) {
        String token = server.rest().accessToken();
        try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, "0")) {
            List<JsonNode> events = new java.util.ArrayList<>(ws.replay());
            return events;
        }
    }

    static long countUserMessages(List<JsonNode> history, String text) {
        return history.stream()
                .filter(e -> e.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE"))
                .filter(e -> e.path("payload").path("text").asText().equals(text))
                .count();
    }
}
