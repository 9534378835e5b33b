package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TcpProxy;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL unreachable under a running node (issue 11): no echo without durability, the client is
 * told "high load" and keeps its socket, {@code /readyz} answers 503 naming the store; when the
 * database is back the node recovers by itself and the client's resend is echoed once.
 */
class PostgresOutageTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    @Test
    void withPostgresCutOffAUserMessageGetsHighLoadAndNoEchoAndAfterItReturnsTheResendIsEchoedOnceWithNothingLost() {
        URI direct = URI.create(db.url().substring("jdbc:".length()));
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", direct.getPort());
             TestServer node = TestServer.start(dir, c -> c.withStore(StoreConfig.postgres(
                             "jdbc:postgresql://127.0.0.1:" + proxy.port() + direct.getPath(), "postgres", null, 4))
                     .withJwtSecret("a-secret-every-node-shares-0123456789".getBytes(StandardCharsets.UTF_8))
                     .withDesk(DeskConfig.DISABLED))) {
            Rest rest = node.rest();
            WsClient ws = node.newSession(false);
            ws.replay();
            ws.join();
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
            ws.say("before the outage", "c-1");
            ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(rest.get("/readyz").statusCode()).isEqualTo(200);

            proxy.refuseNew(); // the database host is gone ...
            proxy.cutAll();    // ... and so are the pool's connections

            // The probe waits out the pool's 5 s connection timeout before it calls the store down.
            await().atMost(Duration.ofSeconds(30)).until(() -> rest.get("/readyz").statusCode() == 503);
            JsonNode ready = Rest.json(rest.get("/readyz"));
            assertThat(ready.get("status").asText()).isEqualTo("unhealthy");
            assertThat(ready.get("down")).extracting(JsonNode::asText).containsExactly("store");
            assertThat(ready.at("/dependencies/store/essential").asBoolean()).isTrue();
            ws.say("during the outage", "c-2");
            JsonNode refused = ws.next();
            assertThat(refused.path("type").asText()).as("no echo: %s", refused).isEqualTo("EVENT_TYPE_SYSTEM_MESSAGE");
            assertThat(refused.path("payload").path("message").asText()).isEqualTo(ErrorMessages.HIGH_LOAD);
            assertThat(refused.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("c-2");

            proxy.heal();

            await().atMost(Duration.ofSeconds(15)).until(() -> rest.get("/readyz").statusCode() == 200);
            assertThat(Rest.json(rest.get("/readyz")).get("status").asText()).isEqualTo("ok");
            ws.say("during the outage", "c-2"); // the client's resend
            JsonNode echo = ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(echo.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("c-2");
            long head = echo.path("sequence").asLong() + 1;

            List<JsonNode> history = stored(ws.reconnect(node.baseUrl(), "0"), head);
            assertThat(history).extracting(e -> e.path("sequence").asLong())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, head).boxed().toList());
            assertThat(history).filteredOn(e -> e.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE"))
                    .extracting(e -> e.path("metadata").path("custom").path("client_event_id").asText())
                    .containsExactly("c-1", "c-2");
            ws.close();
        }
    }

    private static List<JsonNode> stored(WsClient ws, long head) {
        List<JsonNode> stored = new ArrayList<>();
        try (ws) {
            while (stored.isEmpty() || stored.get(stored.size() - 1).path("sequence").asLong() < head) {
                JsonNode frame = ws.next();
                if (frame.path("type").asText().equals("EVENT_TYPE_EVENT_BATCH")) {
                    frame.path("payload").path("events").forEach(stored::add);
                } else if (frame.path("sequence").isIntegralNumber()) {
                    stored.add(frame);
                }
            }
        }
        return stored;
    }
}
