package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ContextTokens;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live agent who takes a conversation sees its verified context with the transcript, and only that. */
@BothStores
class DeskVerifiedContextTest {
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
    void theLiveAgentSeesTheVerifiedContextAndNeverARefusedOne() {
        node = new DeskTestNode(dir);
        try (NodeStore store = TestStores.open(dir)) { // a second process, as the admin CLI is
            String sealed = ContextKeySealer.fromServerSecret(JwtSecret.loadOrCreate(dir), new SecureRandom())
                    .seal("con_demo", "site-1", SECRET.getBytes(StandardCharsets.US_ASCII));
            store.addContextKey(new ContextKey("con_demo", "site-1", sealed, Instant.now()));
        }
        try (WsClient user = node.newSession(); WsClient plain = node.newSession()) {
            String contextId = user.replay().get(0).path("payload").path("context_id").asText();
            user.join();
            user.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(ContextTokens.submit(node.rest(), user,
                    ContextTokens.sign("site-1", SECRET, contextId, Map.of("plan", "gold", "user_id", "u-42")))
                    .statusCode()).isEqualTo(200);
            assertThat(ContextTokens.submit(node.rest(), user,
                    ContextTokens.sign("site-1", "forged-forged-forged-forged-forged-forged-00", contextId,
                            Map.of("plan", "platinum"))).statusCode()).isEqualTo(422);
            user.say("I want a human");
            user.nextOfType("EVENT_TYPE_HANDOFF_ACCEPTED");
            plain.replay();
            plain.join();
            plain.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            plain.say("I want a human");
            plain.nextOfType("EVENT_TYPE_HANDOFF_ACCEPTED");

            try (DeskClient sarah = node.connectAgent("Sarah")) {
                user.nextOfType("EVENT_TYPE_LIVE_AGENT_JOINED");
                plain.nextOfType("EVENT_TYPE_LIVE_AGENT_JOINED");
                String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);

                JsonNode seen = DeskHttp.json(node.desk().call("GET",
                        "/desk/api/conversations/" + user.sessionId() + "/transcript", token, null));
                // Map.of has no order: compare as JSON objects, not as text.
                assertThat(seen.path("verified_context").path("values")).isEqualTo(
                        dev.parley.protocol.codec.Json.MAPPER.valueToTree(Map.of("plan", "gold", "user_id", "u-42")));
                assertThat(seen.path("verified_context").path("key_id").asText()).isEqualTo("site-1");
                assertThat(seen.path("events").size()).isPositive();

                JsonNode none = DeskHttp.json(node.desk().call("GET",
                        "/desk/api/conversations/" + plain.sessionId() + "/transcript", token, null));
                assertThat(none.path("verified_context").isNull()).isTrue();
            }
        }
    }
}
