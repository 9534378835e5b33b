package dev.parley.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.agent.llm.FakeLlmServer;
import dev.parley.server.agent.webhook.TestBot;
import dev.parley.server.agent.webhook.TestBot.Response;
import dev.parley.server.config.AgentsConfig;
import dev.parley.server.config.AgentsConfig.Kind;
import dev.parley.server.config.Secret;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code EVENT_TYPE_LANGUAGE_CHANGED} from each agent kind, over a real server and raw sockets: it
 * is journaled (a sequence, replayed to a reconnecting socket), and the agent sees the language on
 * its next turn, also after a restart.
 */
@BothStores
class LanguageChangeTest {
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

    /** Joins and reads up to the greeting. */
    private static WsClient joined(WsClient ws) {
        ws.replay();
        ws.join();
        ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
        return ws;
    }

    /** Says {@code text} and returns the frames up to and including the agent's answer. */
    private static List<JsonNode> ask(WsClient ws, String text) {
        ws.say(text);
        List<JsonNode> frames = new java.util.ArrayList<>();
        while (true) {
            JsonNode frame = ws.next();
            frames.add(frame);
            if (frame.path("type").asText().equals("EVENT_TYPE_POLY_AGENT_MESSAGE")) {
                return frames;
            }
        }
    }

    private static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    private static String lastText(List<JsonNode> frames) {
        return frames.get(frames.size() - 1).path("payload").path("text").asText();
    }

    private static List<JsonNode> languageChanges(WsClient ws) {
        return ws.replay().stream().filter(e -> e.path("type").asText().equals("EVENT_TYPE_LANGUAGE_CHANGED")).toList();
    }

    @Test
    void aScriptedIntentSwitchesToFrenchAndTheFlowAnswersInFrenchAlsoAfterARestart() {
        server = TestServer.start(dir);
        String sessionId;
        String token;
        try (WsClient ws = joined(server.newSession(false))) {
            sessionId = ws.sessionId();
            token = ws.accessToken();
            List<JsonNode> answer = ask(ws, "français");
            assertThat(types(answer)).containsExactly("EVENT_TYPE_USER_MESSAGE", "EVENT_TYPE_POLY_AGENT_THINKING",
                    "EVENT_TYPE_LANGUAGE_CHANGED", "EVENT_TYPE_POLY_AGENT_MESSAGE");
            JsonNode changed = answer.get(2);
            assertThat(changed.path("payload").path("language_code").asText()).isEqualTo("fr");
            assertThat(changed.path("sequence").asLong()).as("journaled").isGreaterThan(answer.get(0).path("sequence").asLong());
            assertThat(lastText(answer)).startsWith("Avec plaisir");

            List<JsonNode> next = ask(ws, "quelque chose");
            assertThat(types(next)).as("the same language is not announced again").doesNotContain("EVENT_TYPE_LANGUAGE_CHANGED");
            assertThat(lastText(next)).as("the fallback in the session's language").startsWith("Pardon");
        }
        try (WsClient again = WsClient.connect(server.baseUrl(), sessionId, token, "0")) {
            assertThat(languageChanges(again)).singleElement()
                    .satisfies(e -> assertThat(e.path("payload").path("language_code").asText()).isEqualTo("fr"));
        }

        server.close();
        server = TestServer.start(dir);
        try (WsClient back = WsClient.connect(server.baseUrl(), sessionId, token, "0")) {
            back.replay();
            assertThat(lastText(ask(back, "encore autre chose"))).as("rebuilt from the journal").startsWith("Pardon");
            assertThat(lastText(ask(back, "english please"))).startsWith("Sure, back to English");
            assertThat(lastText(ask(back, "something else"))).startsWith("Sorry, I didn't catch that");
        }
    }

    @Test
    void theLlmsSetLanguageToolChangesTheLanguageAndTheModelIsToldItOnTheNextTurn() {
        llm = FakeLlmServer.start();
        llm.thenSse("greeting").thenSse("language").thenSse("text");
        AgentsConfig.Llm settings = new AgentsConfig.Llm(llm.baseUrl(), "test-model", null, null, null, null,
                "You are a test assistant.", 12_000, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60),
                0, "Sorry.", "Ada", null, false);
        server = TestServer.start(dir, c -> c.withAgents(AgentsConfig.DEFAULTS.withDefault(Kind.LLM).withLlm(settings)));
        try (WsClient ws = joined(server.newSession(false))) {
            List<JsonNode> answer = ask(ws, "Parlez-vous français ?");
            assertThat(types(answer)).containsSubsequence("EVENT_TYPE_LANGUAGE_CHANGED", "EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(answer).filteredOn(f -> f.path("type").asText().equals("EVENT_TYPE_LANGUAGE_CHANGED")).singleElement()
                    .satisfies(e -> assertThat(e.path("payload").path("language_code").asText()).isEqualTo("fr-FR"));
            assertThat(lastText(answer)).isEqualTo("Bien sûr, continuons en français.");

            ask(ws, "merci");
            try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
                assertThat(languageChanges(again)).hasSize(1);
            }
        }
        JsonNode firstReply = llm.requests().get(1).json();
        JsonNode secondReply = llm.requests().get(2).json();
        assertThat(firstReply.path("tools").toString()).contains("set_language");
        assertThat(firstReply.path("messages").get(0).path("content").asText()).doesNotContain("conversation language");
        assertThat(secondReply.path("messages").get(0).path("content").asText())
                .contains("The conversation language is fr-FR");
    }

    @Test
    void aWebhookReplysLanguageFieldChangesTheLanguageAndTheBotReceivesItNextTime() {
        bot = TestBot.start("lang-secret", request -> {
            JsonNode body = request.body();
            if (body.path("text").asText().equals("Deutsch bitte")) {
                return Response.json("{\"language\":\"de\",\"messages\":[{\"text\":\"Gern, auf Deutsch.\"}]}");
            }
            return Response.json("{\"messages\":[{\"text\":\"ok\"}]}");
        });
        AgentsConfig.Webhook hook = new AgentsConfig.Webhook(bot.url(), null, null, new Secret("lang-secret"),
                Duration.ofSeconds(5), 0, "Hook", null, 10);
        server = TestServer.start(dir, c -> c.withAgents(AgentsConfig.DEFAULTS.withDefault(Kind.WEBHOOK).withWebhook(hook)));
        try (WsClient ws = joined(server.newSession(false))) {
            List<JsonNode> answer = ask(ws, "Deutsch bitte");
            assertThat(types(answer)).containsExactly("EVENT_TYPE_USER_MESSAGE", "EVENT_TYPE_POLY_AGENT_THINKING",
                    "EVENT_TYPE_LANGUAGE_CHANGED", "EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(answer.get(2).path("payload").path("language_code").asText()).isEqualTo("de");
            ask(ws, "danke");
            try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
                assertThat(languageChanges(again)).hasSize(1);
            }
        }
        assertThat(bot.requests().get(1).body().path("language").isNull()).isTrue();
        assertThat(bot.requests().get(2).body().path("language").asText()).isEqualTo("de");
    }
}
