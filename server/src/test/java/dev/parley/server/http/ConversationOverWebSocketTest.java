package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented conversation (PROTOCOL.md §1.3, §10) end to end over a real socket. */
@ParleyTest
@BothStores
class ConversationOverWebSocketTest {
    static TestServer server;

    @Test
    void newSessionReplaysSessionStartThenJoinChatAndEnd() {
        try (WsClient ws = server.newSession(false)) {
            List<JsonNode> replay = ws.replay();
            assertThat(replay).hasSize(1);
            assertThat(replay.get(0).get("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
            assertThat(replay.get(0).get("sequence").asLong()).isEqualTo(1);
            assertThat(replay.get(0).path("payload").path("capabilities").path("streaming").asBoolean()).isFalse();

            ws.join();
            assertThat(ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN").get("sequence").asLong()).isEqualTo(2);
            assertThat(ws.next("EVENT_TYPE_POLY_AGENT_JOINED").get("sequence").asLong()).isEqualTo(3);
            assertThat(ws.next("EVENT_TYPE_POLY_AGENT_THINKING").get("sequence").isNull()).isTrue();
            JsonNode greeting = ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(greeting.get("sequence").asLong()).isEqualTo(4);
            assertThat(greeting.path("payload").path("message_id").asText()).startsWith("msg_");

            ws.say("What are your opening hours?", "c-1");
            JsonNode echo = ws.next("EVENT_TYPE_USER_MESSAGE");
            assertThat(echo.get("sequence").asLong()).isEqualTo(5);
            assertThat(echo.path("payload").path("text").asText()).isEqualTo("What are your opening hours?");
            assertThat(echo.path("payload").path("message_id").asText()).startsWith("msg_");
            assertThat(echo.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("c-1");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            assertThat(ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE").get("sequence").asLong()).isEqualTo(6);

            ws.sendType("EVENT_TYPE_USER_END_SESSION");
            assertThat(ws.next("EVENT_TYPE_USER_END_SESSION").get("sequence").asLong()).isEqualTo(7);
            JsonNode end = ws.next("EVENT_TYPE_SESSION_END");
            assertThat(end.path("payload").path("reason").asText()).isEqualTo("REASON_USER_END");
            assertThat(ws.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void streamingSessionSendsChunksFromIndexOneEndingWithIsComplete() {
        try (WsClient ws = server.newSession(true)) {
            assertThat(ws.replay().get(0).path("payload").path("capabilities").path("streaming").asBoolean()).isTrue();
            ws.join();
            ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            StringBuilder text = new StringBuilder();
            String messageId = null;
            long lastSequence = 3;
            for (int index = 1; ; index++) {
                JsonNode chunk = ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK");
                JsonNode p = chunk.path("payload");
                assertThat(chunk.get("sequence").asLong()).isEqualTo(++lastSequence);
                assertThat(p.get("chunk_index").asInt()).isEqualTo(index);
                messageId = messageId == null ? p.get("message_id").asText() : messageId;
                assertThat(p.get("message_id").asText()).isEqualTo(messageId);
                text.append(p.get("text").asText());
                if (p.get("is_complete").asBoolean()) {
                    assertThat(index).isGreaterThan(2);
                    assertThat(p.get("response_suggestions")).isNotEmpty();
                    break;
                }
                assertThat(p.get("response_suggestions")).isEmpty();
            }
            assertThat(text.toString()).isNotBlank();
            ws.assertNoMoreEvents();
        }
    }
}
