package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ContextTokens;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flow reply's {@code {{context.KEY}}} is filled from the verified context, and only from it. */
@BothStores
class ScriptedFlowContextTest {
    private static final String SECRET = "c2NyaXB0ZWQtZmxvdy1jb250ZXh0LWtleS0wMTIzNDU2";
    private static final String FLOW = """
            agent:
              name: Ada
              avatar_url: https://example.com/ada.png
            greeting:
              text: Hello!
            intents:
              - name: plan
                keywords: [plan]
                reply:
                  text: "Your plan is {{context.plan}}, {{ context.first_name }}."
            fallback:
              text: Sorry?
            """;

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
    void aFlowReplyShowsVerifiedValuesAndNothingForARefusedToken() throws Exception {
        Path flow = Files.writeString(dir.resolve("flow.yaml"), FLOW);
        server = TestServer.start(dir.resolve("data"), c -> c.withFlowFile(flow));
        try (NodeStore store = TestStores.open(dir.resolve("data"))) {
            String sealed = ContextKeySealer.fromServerSecret(JwtSecret.loadOrCreate(dir.resolve("data")),
                    new SecureRandom()).seal("con_demo", "k1", SECRET.getBytes(StandardCharsets.US_ASCII));
            store.addContextKey(new ContextKey("con_demo", "k1", sealed, Instant.now()));
        }
        try (WsClient user = server.newSession(false)) {
            String contextId = user.replay().get(0).path("payload").path("context_id").asText();
            user.join();
            user.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");

            assertThat(ContextTokens.submit(server.rest(), user, ContextTokens.sign("k1", "not-the-secret-not-the-secret-not-the-sec",
                    contextId, Map.of("plan", "gold", "first_name", "Eve"))).statusCode()).isEqualTo(422);
            user.say("my plan?");
            assertThat(user.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE").path("payload").path("text").asText())
                    .isEqualTo("Your plan is , .");

            assertThat(ContextTokens.submit(server.rest(), user, ContextTokens.sign("k1", SECRET, contextId,
                    Map.of("plan", "gold", "first_name", "Eve"))).statusCode()).isEqualTo(200);
            user.say("my plan?");
            assertThat(user.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE").path("payload").path("text").asText())
                    .isEqualTo("Your plan is gold, Eve.");
        }
    }
}
