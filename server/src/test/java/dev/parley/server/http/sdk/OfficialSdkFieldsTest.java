package dev.parley.server.http.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.agent.llm.FakeLlmServer;
import dev.parley.server.agent.webhook.TestBot;
import dev.parley.server.agent.webhook.TestBot.Response;
import dev.parley.server.config.AgentsConfig;
import dev.parley.server.config.AgentsConfig.Kind;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.Secret;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.OfficialSdkReading;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The additive fields PolyAI's official SDKs read on AI messages (call buttons, the closing flag,
 * the agent's name and avatar, a client handoff's route) and the spacing of streamed chunks, from
 * each agent kind, over a real server and raw WebSockets (issue 12 items 2 and 7).
 */
class OfficialSdkFieldsTest {
    private static final String MESSAGE = "EVENT_TYPE_POLY_AGENT_MESSAGE";
    private static final String CHUNK = "EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK";
    private static final String FLOW = """
            agent:
              name: Ada
              avatar_url: https://example.com/avatars/ada.png
            greeting:
              text: Hello there, I am Ada and I can help with bookings today.
            intents:
              - name: call
                keywords: [call]
                reply:
                  text: You can also call us.
                  chat_call_actions:
                    - title: Call the front desk
                      contact_number: "+44 20 7946 0000"
              - name: bye
                keywords: [bye]
                reply:
                  text: Goodbye!
                action: end
              - name: elsewhere
                keywords: [elsewhere]
                action: handoff
                handoff:
                  reason: POLICY
                  queue: phone
                  route: tel:+442079460000
            fallback:
              text: Sorry?
            """;

    @TempDir
    Path dir;
    private TestServer server;
    private FakeLlmServer llm;
    private TestBot bot;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (llm != null) {
            llm.close();
        }
        if (bot != null) {
            bot.close();
        }
    }

    private TestServer scripted() throws IOException {
        Path flow = dir.resolve("flow.yaml");
        Files.writeString(flow, FLOW);
        server = TestServer.start(dir.resolve("data"), c -> c.withFlowFile(flow).withDesk(DeskConfig.DISABLED));
        return server;
    }

    private static WsClient joined(TestServer server, boolean streaming) {
        WsClient ws = server.newSession(streaming);
        ws.replay();
        ws.join();
        return ws;
    }

    private static List<JsonNode> chunksOfNextReply(WsClient ws) {
        return Frames.ofType(Frames.readUntilAgentReply(ws), CHUNK);
    }

    private static JsonNode payload(JsonNode frame) {
        return frame.path("payload");
    }

    // ---- scripted flow ---------------------------------------------------------------------------

    @Test
    void aScriptedReplyCarriesTheAgentsProfileAndItsCallButtonsAndNothingElseExtra() throws IOException {
        try (WsClient ws = joined(scripted(), false)) {
            JsonNode greeting = payload(ws.nextOfType(MESSAGE));
            assertThat(greeting.path("agent_name").asText()).isEqualTo("Ada");
            assertThat(greeting.path("avatar_url").asText()).isEqualTo("https://example.com/avatars/ada.png");
            assertThat(greeting.has("chat_call_actions")).isFalse();
            assertThat(greeting.has("end_conversation")).isFalse();

            ws.say("can I call you?");
            JsonNode reply = payload(ws.nextOfType(MESSAGE));
            assertThat(reply.path("chat_call_actions").toString())
                    .isEqualTo("[{\"title\":\"Call the front desk\",\"contact_number\":\"+44 20 7946 0000\"}]");
            assertThat(reply.has("end_conversation")).isFalse();
        }
    }

    @Test
    void theReplyBeforeAnEndSaysItClosesTheConversationAndTheSessionEndsRightAfterIt() throws IOException {
        try (WsClient ws = joined(scripted(), false)) {
            ws.nextOfType(MESSAGE);
            ws.say("bye");
            List<JsonNode> frames = Frames.readUntil(ws, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
            List<JsonNode> messages = Frames.ofType(frames, MESSAGE);
            assertThat(messages).hasSize(1);
            assertThat(payload(messages.get(0)).path("end_conversation").asBoolean()).isTrue();
            assertThat(payload(frames.get(frames.size() - 1)).path("reason").asText()).isEqualTo("REASON_NATURAL_END");
            assertThat(new OfficialSdkReading().read(frames).endedBy())
                    .containsExactly(MESSAGE, "EVENT_TYPE_SESSION_END");
        }
    }

    @Test
    void aStreamedReplyCarriesItsMessageLevelFieldsOnTheFinalChunkOnly() throws IOException {
        try (WsClient ws = joined(scripted(), true)) {
            chunksOfNextReply(ws);
            ws.say("call");
            List<JsonNode> chunks = chunksOfNextReply(ws);
            JsonNode last = payload(chunks.get(chunks.size() - 1));
            assertThat(last.path("agent_name").asText()).isEqualTo("Ada");
            assertThat(last.path("chat_call_actions").get(0).path("contact_number").asText()).isEqualTo("+44 20 7946 0000");
            for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
                assertThat(payload(chunk).has("agent_name")).isFalse();
                assertThat(payload(chunk).has("chat_call_actions")).isFalse();
                assertThat(payload(chunk).has("end_conversation")).isFalse();
            }
        }
    }

    @Test
    void aClientHandoffNamesTheRouteTheFlowGives() throws IOException {
        try (WsClient ws = joined(scripted(), false)) {
            ws.nextOfType(MESSAGE);
            ws.say("elsewhere please");
            JsonNode required = payload(ws.nextOfType("EVENT_TYPE_CLIENT_HANDOFF_REQUIRED"));
            assertThat(required.path("route").asText()).isEqualTo("tel:+442079460000");
            assertThat(required.path("reason").asText()).isEqualTo("POLICY");
            assertThat(required.path("queue_name").asText()).isEqualTo("phone");
        }
    }

    @Test
    void scriptedChunksReadAsTheWholeTextJoinedWithNothingAndAsItsWordsJoinedWithASpace() throws IOException {
        try (WsClient ws = joined(scripted(), true)) {
            List<JsonNode> chunks = chunksOfNextReply(ws);
            String text = "Hello there, I am Ada and I can help with bookings today.";

            assertThat(chunks.size()).isGreaterThan(2);
            assertThat(OfficialSdkReading.liveBubble(chunks)).isEqualTo(text);
            assertThat(OfficialSdkReading.words(OfficialSdkReading.assembled(chunks)))
                    .isEqualTo(OfficialSdkReading.words(text));
        }
    }

    // ---- LLM agent -------------------------------------------------------------------------------

    private TestServer withLlm() {
        llm = FakeLlmServer.start();
        AgentsConfig.Llm settings = new AgentsConfig.Llm(llm.baseUrl(), "test-model", null, null, null, null,
                "You are Ada.", AgentsConfig.Llm.DEFAULT_HISTORY_BUDGET_CHARS, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(20), 0, "Sorry.", "Ada",
                "https://example.com/avatars/ada.png", false);
        server = TestServer.start(dir.resolve("data"), c -> c.withAgents(AgentsConfig.DEFAULTS.withDefault(Kind.LLM)
                .withLlm(settings)).withDesk(DeskConfig.DISABLED));
        return server;
    }

    @Test
    void llmDeltasCutInsideWordsReachTheClientAsChunksThatReadRightJoinedEitherWay() {
        TestServer server = withLlm();
        llm.thenSse("greeting").thenSse("call-then-end"); // answered in this order: the greeting, then the reply
        try (WsClient ws = joined(server, true)) {
            chunksOfNextReply(ws);
            ws.say("how do I reach you?");
            List<JsonNode> frames = Frames.readUntil(ws, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
            List<JsonNode> chunks = Frames.ofType(frames, CHUNK);
            String text = "Call us on the number below. Bye!";

            assertThat(OfficialSdkReading.liveBubble(chunks)).isEqualTo(text);
            assertThat(OfficialSdkReading.words(OfficialSdkReading.assembled(chunks)))
                    .isEqualTo(OfficialSdkReading.words(text));
            JsonNode last = payload(chunks.get(chunks.size() - 1));
            assertThat(last.path("chat_call_actions").toString())
                    .isEqualTo("[{\"title\":\"Call support\",\"contact_number\":\"+44 20 7946 0000\"}]");
            assertThat(last.path("end_conversation").asBoolean()).isTrue();
            assertThat(last.path("agent_name").asText()).isEqualTo("Ada");
        }
    }

    @Test
    void anLlmReplyWithTheCallToolCarriesTheButtonAndTheEndToolMakesItTheClosingMessage() {
        TestServer server = withLlm();
        llm.thenSse("greeting").thenSse("call-then-end");
        try (WsClient ws = joined(server, false)) {
            JsonNode greeting = payload(ws.nextOfType(MESSAGE));
            assertThat(greeting.has("chat_call_actions")).isFalse();
            assertThat(greeting.has("end_conversation")).isFalse();
            ws.say("how do I reach you?");
            List<JsonNode> frames = Frames.readUntil(ws, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
            JsonNode reply = payload(Frames.ofType(frames, MESSAGE).get(0));
            assertThat(reply.path("text").asText()).isEqualTo("Call us on the number below. Bye!");
            assertThat(reply.path("chat_call_actions").get(0).path("title").asText()).isEqualTo("Call support");
            assertThat(reply.path("end_conversation").asBoolean()).isTrue();
            assertThat(reply.path("avatar_url").asText()).isEqualTo("https://example.com/avatars/ada.png");
        }
    }

    // ---- webhook agent ---------------------------------------------------------------------------

    @Test
    void aWebhookReplyMayOfferACallAndCloseTheConversationAndNameARoute() {
        bot = TestBot.start("s3cret-s3cret-s3cret-s3cret-s3cret", request -> switch (request.body().path("text").asText("")) {
            case "call" -> Response.json("{\"messages\":[{\"text\":\"Call us.\",\"chat_call_actions\":"
                    + "[{\"title\":\"Call\",\"contact_number\":\"+1 555 0100\"}],\"end_conversation\":true}]}");
            case "route" -> Response.json("{\"handoff\":{\"reason\":\"POLICY\",\"queue\":\"phone\",\"route\":\"https://example.com/help\"}}");
            default -> Response.json("{\"messages\":[{\"text\":\"Hi from the bot\"}]}");
        });
        AgentsConfig.Webhook hook = new AgentsConfig.Webhook(bot.url(), null, null,
                new Secret("s3cret-s3cret-s3cret-s3cret-s3cret"), Duration.ofSeconds(5), 0, "Hook",
                "https://bot.example.com/hook.png", 10);
        server = TestServer.start(dir.resolve("data"), c -> c.withAgents(AgentsConfig.DEFAULTS.withDefault(Kind.WEBHOOK)
                .withWebhook(hook)).withDesk(DeskConfig.DISABLED));

        try (WsClient ws = joined(server, false)) {
            JsonNode greeting = payload(ws.nextOfType(MESSAGE));
            assertThat(greeting.path("agent_name").asText()).isEqualTo("Hook");
            assertThat(greeting.has("end_conversation")).isFalse();
            ws.say("route");
            assertThat(payload(ws.nextOfType("EVENT_TYPE_CLIENT_HANDOFF_REQUIRED")).path("route").asText())
                    .isEqualTo("https://example.com/help");
        }
        try (WsClient ws = joined(server, false)) {
            ws.nextOfType(MESSAGE);
            ws.say("call");
            List<JsonNode> frames = Frames.readUntil(ws, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
            JsonNode reply = payload(Frames.ofType(frames, MESSAGE).get(0));
            assertThat(reply.path("chat_call_actions").get(0).path("contact_number").asText()).isEqualTo("+1 555 0100");
            assertThat(reply.path("end_conversation").asBoolean()).isTrue();
        }
    }
}
