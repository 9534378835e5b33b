package dev.parley.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.server.ParleyServer;
import dev.parley.server.agent.webhook.TestBot;
import dev.parley.server.agent.webhook.TestBot.Response;
import dev.parley.server.config.AgentsConfig;
import dev.parley.server.config.AgentsConfig.Kind;
import dev.parley.server.config.Secret;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agents:} end to end: the demo connector answered by a real webhook bot over a real socket. */
class AgentSelectionTest {
    private static final String SECRET = "selection-secret";

    @TempDir
    Path dir;
    private TestBot bot;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (bot != null) {
            bot.close();
        }
    }

    /** Greets, echoes, and streams when the session streams, like a small real bot. */
    private static Response echoBot(TestBot.Request request) {
        JsonNode body = request.body();
        String text = body.path("event").asText().equals("greeting") ? "Hi from the bot" : "You said: " + body.path("text").asText();
        if (body.path("streaming").asBoolean()) {
            return Response.ndjson("{\"delta\":\"" + text.substring(0, 6) + "\"}", "{\"delta\":\"" + text.substring(6) + "\"}",
                    "{\"complete\":true,\"suggestions\":[\"More\"]}");
        }
        return Response.json("{\"messages\":[{\"text\":\"" + text + "\",\"suggestions\":[\"More\"]}]}");
    }

    private void startWith(AgentsConfig.Kind defaultKind, Map<String, Kind> connectors) {
        bot = TestBot.start(SECRET, AgentSelectionTest::echoBot);
        AgentsConfig.Webhook hook = new AgentsConfig.Webhook(bot.url(), null, null, new Secret(SECRET),
                Duration.ofSeconds(5), 1, "Hook", "https://bot.example.com/hook.png", 10);
        server = TestServer.start(dir, c -> c.withAgents(AgentsConfig.DEFAULTS.withDefault(defaultKind)
                .withConnectors(connectors).withWebhook(hook)));
    }

    @Test
    void theDemoConnectorMappedToTheWebhookIsGreetedAndAnsweredByTheBot() {
        startWith(Kind.SCRIPTED, Map.of(ParleyServer.DEMO_CONNECTOR_ID, Kind.WEBHOOK));

        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            JsonNode joined = ws.next("EVENT_TYPE_POLY_AGENT_JOINED").path("payload");
            assertThat(joined.path("agent_name").asText()).isEqualTo("Hook");
            assertThat(joined.path("agent_avatar_url").asText()).isEqualTo("https://bot.example.com/hook.png");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            JsonNode greeting = ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE").path("payload");
            assertThat(greeting.path("text").asText()).isEqualTo("Hi from the bot");
            assertThat(greeting.path("response_suggestions").toString()).contains("More");

            ws.say("opening hours?");
            ws.next("EVENT_TYPE_USER_MESSAGE");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            assertThat(ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE").path("payload").path("text").asText())
                    .isEqualTo("You said: opening hours?");
        }
        TestBot.Request second = bot.requests().get(1);
        assertThat(second.signatureValid()).isTrue();
        assertThat(second.body().path("connector_id").asText()).isEqualTo(ParleyServer.DEMO_CONNECTOR_ID);
        assertThat(second.body().path("history").toString()).contains("Hi from the bot").doesNotContain("opening hours");
    }

    @Test
    void aStreamingSessionReceivesTheBotsDeltasAsChunks() {
        startWith(Kind.WEBHOOK, Map.of());

        try (WsClient ws = server.newSession(true)) {
            ws.replay();
            ws.join();
            ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            assertThat(chunks(ws)).containsExactly("Hi fro", "m the bot", "");

            ws.say("ping");
            ws.next("EVENT_TYPE_USER_MESSAGE");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            assertThat(String.join("", chunks(ws))).isEqualTo("You said: ping");
        }
    }

    @Test
    void aBrokenBotReplyReachesTheUserAsTheDocumentedError() {
        startWith(Kind.WEBHOOK, Map.of());
        bot.answer(request -> request.body().path("event").asText().equals("greeting")
                ? Response.json("{\"messages\":[{\"text\":\"Hello\"}]}") : Response.json("{\"messages\":\"oops\"}"));

        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            ws.say("hi");
            JsonNode error = ws.nextOfType("EVENT_TYPE_SYSTEM_MESSAGE").path("payload");
            assertThat(error.path("message").asText()).isEqualTo(ErrorMessages.AGENT_REPLY_FAILED);
        }
    }

    @Test
    void connectorsNotMappedKeepTheDefaultAgent() {
        startWith(Kind.SCRIPTED, Map.of("con_other", Kind.WEBHOOK));

        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            assertThat(ws.next("EVENT_TYPE_POLY_AGENT_JOINED").path("payload").path("agent_name").asText()).isNotEqualTo("Hook");
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
        }
        assertThat(bot.requests()).isEmpty();
    }

    @Test
    void theRouterSendsEachTurnAndProfileToTheConnectorsAgent() {
        Agent a = new Named("A");
        Agent b = new Named("B");
        AgentRouter router = new AgentRouter(a, Map.of("con_b", b));
        RecordingReplySink sink = new RecordingReplySink();

        router.greet(new Conversation("s", "con_b", "web", false, List.of()), sink);
        router.greet(new Conversation("s", "con_x", "web", false, List.of()), sink);

        assertThat(sink.deltas()).containsExactly("B", "A");
        assertThat(router.profile("con_b").name()).isEqualTo("B");
        assertThat(router.profile("con_x").name()).isEqualTo("A");
        assertThat(router.profile().name()).isEqualTo("A");
    }

    private static List<String> chunks(WsClient ws) {
        List<String> texts = new java.util.ArrayList<>();
        while (true) {
            JsonNode p = ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK").path("payload");
            texts.add(p.path("text").asText());
            if (p.path("is_complete").asBoolean()) {
                assertThat(p.path("response_suggestions").toString()).contains("More");
                return texts;
            }
        }
    }

    /** Writes its own name. */
    private record Named(String name) implements Agent {
        public AgentProfile profile() {
            return new AgentProfile(name, null);
        }

        public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
            sink.text(name);
            return CompletableFuture.completedFuture(null);
        }

        public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
            return greet(conversation, sink);
        }
    }
}
