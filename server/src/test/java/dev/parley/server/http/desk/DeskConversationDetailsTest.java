package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.desk.ConversationLabel;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ContextTokens;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversation on the desk carries a readable label and what is known of its customer (verified
 * context, platform, start, wait), and its transcript downloads as JSON, text or printable HTML.
 */
@BothStores
class DeskConversationDetailsTest {
    private static final String SECRET = "Zm9yLXRlc3RzLW9ubHktYS1jb250ZXh0LWtleS0wMTIzNA";

    @TempDir
    Path dir;
    private DeskTestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aClaimedConversationHasItsLabelCustomerDetailsAndDownloadableTranscripts() {
        node = new DeskTestNode(dir);
        try (NodeStore store = TestStores.open(dir)) {
            String sealed = ContextKeySealer.fromServerSecret(JwtSecret.loadOrCreate(dir), new SecureRandom())
                    .seal("con_demo", "site-1", SECRET.getBytes(StandardCharsets.US_ASCII));
            store.addContextKey(new ContextKey("con_demo", "site-1", sealed, Instant.now()));
        }
        DeskHttp http = node.desk();
        String token = http.token("Sarah", DeskTestNode.PASSWORD);
        try (DeskClient sarah = node.connectDesk(token); WsClient user = node.newSession()) {
            sarah.next("desk.snapshot");
            assertThat(http.call("PUT", "/desk/api/presence", token, "{\"presence\":\"AWAY\"}").statusCode()).isEqualTo(204);
            String contextId = user.replay().get(0).path("payload").path("context_id").asText();
            user.join();
            user.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(ContextTokens.submit(node.rest(), user,
                    ContextTokens.sign("site-1", SECRET, contextId, Map.of("name", "Jane Doe", "plan", "gold")))
                    .statusCode()).isEqualTo(200);
            user.say("I want a human");
            user.nextOfType("EVENT_TYPE_HANDOFF_QUEUE_STATUS");
            String id = user.sessionId();
            String label = ConversationLabel.of(id);

            JsonNode waiting = sarah.next(m -> m.path("type").asText().equals("desk.snapshot")
                    && m.path("queues").get(0).path("waiting").size() == 1).path("queues").get(0).path("waiting").get(0);
            assertThat(waiting.path("session_id").asText()).isEqualTo(id);
            assertThat(waiting.path("label").asText()).isEqualTo(label);

            JsonNode claimed = DeskHttp.json(http.call("POST", "/desk/api/claim", token, "{\"session_id\":\"" + id + "\"}"))
                    .path("conversation");
            assertThat(claimed.path("label").asText()).isEqualTo(label);
            assertThat(claimed.path("customer").path("name").asText()).isEqualTo("Jane Doe");
            assertThat(claimed.path("customer").path("verified_context").path("plan").asText()).isEqualTo("gold");
            assertThat(claimed.path("customer").path("platform").asText()).isNotBlank();
            assertThat(claimed.path("customer").path("language").isNull()).isTrue(); // never changed
            assertThat(claimed.path("created_at").asText()).isNotBlank();
            assertThat(claimed.path("waited_seconds").asLong()).isNotNegative();
            user.nextOfType("EVENT_TYPE_LIVE_AGENT_JOINED");
            JsonNode assigned = sarah.next("desk.assigned").path("conversation");
            assertThat(assigned.path("customer").path("name").asText()).isEqualTo("Jane Doe");
            assertThat(assigned.path("label").asText()).isEqualTo(label);
            JsonNode mine = DeskHttp.json(http.call("GET", "/desk/api/queues", token, null)).path("mine").get(0);
            assertThat(mine.path("customer").path("verified_context").path("plan").asText()).isEqualTo("gold");

            String base = "/desk/api/conversations/" + id + "/transcript";
            JsonNode plain = DeskHttp.json(http.call("GET", base, token, null));
            assertThat(plain.path("events").isArray()).isTrue(); // what the desk page reads, unchanged
            assertThat(plain.has("lines")).isFalse();

            HttpResponse<String> json = http.call("GET", base + "?format=json", token, null);
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=\"conversation-" + id + ".json\"");
            assertThat(DeskHttp.json(json).path("lines").toString()).contains("I want a human");

            HttpResponse<String> text = http.call("GET", base + "?format=text", token, null);
            assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(text.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=\"conversation-" + id + ".txt\"");
            assertThat(text.body()).startsWith("Conversation " + id).contains("User: I want a human");

            HttpResponse<String> html = http.call("GET", base + "?format=html", token, null);
            assertThat(html.headers().firstValue("Content-Disposition"))
                    .hasValue("inline; filename=\"conversation-" + id + ".html\"");
            assertThat(html.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'");
            assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("I want a human");

            assertThat(http.call("GET", base + "?format=pdf", token, null).statusCode()).isEqualTo(400);
            String tom = http.token("Tom", DeskTestNode.PASSWORD);
            assertThat(http.call("GET", base + "?format=text", tom, null).statusCode()).isEqualTo(404);
            assertThat(http.call("GET", base + "?format=text", null, null).statusCode()).isEqualTo(401);
        }
    }
}
