package dev.parley.server.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.Conversation.Speaker;
import dev.parley.server.agent.Conversation.Turn;
import dev.parley.server.agent.HandoffRequest;
import dev.parley.server.agent.RecordingReplySink;
import dev.parley.server.agent.RecordingReplySink.Call;
import dev.parley.server.agent.RecordingReplySink.Complete;
import dev.parley.server.agent.RecordingReplySink.End;
import dev.parley.server.agent.RecordingReplySink.Fail;
import dev.parley.server.agent.RecordingReplySink.Handoff;
import dev.parley.server.agent.RecordingReplySink.Text;
import dev.parley.server.time.ManualScheduler;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LlmAgent} against a real local HTTP server replaying recorded OpenAI streaming
 * transcripts ({@code src/test/resources/llm/*.sse}); timers run on virtual time.
 */
class LlmAgentTest {
    private static final String QUESTION = "what are your hours?";
    private static final String SECRET = "sk-live-TOPSECRET-4242";

    private FakeLlmServer server;
    private HttpClient http;
    private ManualScheduler time;
    private RecordingMetrics metrics;
    private RecordingReplySink sink;
    private LogCapture log;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        time = new ManualScheduler();
        metrics = new RecordingMetrics();
        sink = new RecordingReplySink();
        log = new LogCapture(LlmAgent.class);
        http = LlmAgent.httpClient(settings());
    }

    @AfterEach
    void stop() {
        log.close();
        server.close();
    }

    private LlmSettings settings() {
        return LlmSettings.DEFAULTS.withBaseUrl(server.baseUrl())
                .withModel("qwen2.5-7b-instruct")
                .withSystemPrompt("You are Ada, the support assistant of Example Shop.")
                .withProfile("Ada", "https://example.com/ada.png");
    }

    private LlmAgent agent(LlmSettings settings) {
        return new LlmAgent(settings, http, time, time.clock(), metrics);
    }

    /** A conversation whose turns alternate user / AI agent, starting with the user. */
    private static Conversation conversation(String... texts) {
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            turns.add(new Turn(i % 2 == 0 ? Speaker.USER : Speaker.AI_AGENT, texts[i]));
        }
        return new Conversation("ses_test", "con_1", "web", true, turns);
    }

    private CompletionStage<Void> ask(String sse) {
        server.thenSse(sse);
        return agent(settings()).reply(conversation(QUESTION), QUESTION, sink);
    }

    private static void finish(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the turn did not complete", e);
        }
    }

    /** Waits until {@code requests} requests arrived and {@code timers} timers are queued. */
    private void awaitState(int requests, int timers) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == requests && time.pending() == timers);
    }

    private void assertFallback() {
        sink.assertNext(new Text(ErrorMessages.AGENT_REPLY_FAILED))
                .assertNext(new Complete(List.of(), List.of()))
                .assertNoMore();
    }

    @Test
    void theVerifiedContextFillsPromptPlaceholdersAndIsListedAfterTheSystemPrompt() {
        server.thenSse("text");
        LlmSettings settings = settings().withSystemPrompt("You are Ada. The user's plan is {{context.plan}}.");
        Conversation withContext = new Conversation("ses_test", "con_1", "web", true,
                List.of(new Turn(Speaker.USER, QUESTION)), Map.of("plan", "gold", "user_id", "u-42"));

        finish(agent(settings).reply(withContext, QUESTION, sink));

        String system = server.requests().get(0).json().path("messages").get(0).path("content").asText();
        assertThat(system).startsWith("You are Ada. The user's plan is gold.")
                .contains("Verified context about the user", "\nplan: gold", "\nuser_id: u-42");
    }

    @Test
    void withoutVerifiedContextThePromptIsSentAsConfiguredWithPlaceholdersEmptied() {
        server.thenSse("text");
        finish(agent(settings().withSystemPrompt("You are Ada. Plan: {{context.plan}}."))
                .reply(conversation(QUESTION), QUESTION, sink));

        String system = server.requests().get(0).json().path("messages").get(0).path("content").asText();
        assertThat(system).isEqualTo("You are Ada. Plan: .");
    }

    @Test
    void streamedTextIsWrittenDeltaByDeltaInOrderThenCompleted() {
        finish(ask("text"));

        // Re-cut at word ends: the model's " 6 pm." becomes " 6" (after " to") and " pm." (issue 12 item 7).
        assertThat(sink.deltas()).containsExactly("We're", " open", " Monday", " to", " Friday,", " 9", " am", " to 6",
                " pm.", " Anything", " else?");
        assertThat(String.join("", sink.deltas())).isEqualTo(FakeLlmServer.transcriptText("text"));
        List<Call> calls = sink.calls();
        assertThat(calls.get(calls.size() - 1)).isEqualTo(new Complete(List.of(), List.of()));
        assertThat(calls).hasSize(sink.deltas().size() + 1);
        assertThat(metrics.events()).containsExactly("started:llm", "first-token:llm");
        assertThat(server.requests()).hasSize(1);
        assertThat(time.pending()).as("timers cancelled").isZero();
    }

    @Test
    void requestHasModelStreamSystemPromptFirstHistoryTrimmedOldestFirstAndTools() {
        server.thenSse("text");
        List<Turn> history = List.of(
                new Turn(Speaker.USER, "first question about shipping"), // 29 chars: over the budget
                new Turn(Speaker.AI_AGENT, "It ships in two days."), // 21
                new Turn(Speaker.USER, "And returns?"), // 12
                new Turn(Speaker.LIVE_AGENT, "Returns are free."), // 17
                new Turn(Speaker.USER, QUESTION)); // the turn being answered
        Conversation conversation = new Conversation("ses_test", "con_1", "web", true, history);

        finish(agent(settings().withHistoryBudgetChars(30)).reply(conversation, QUESTION, sink));

        FakeLlmServer.Recorded request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(request.header("accept")).isEqualTo("text/event-stream");
        assertThat(request.header("authorization")).as("no key, no header").isNull();
        JsonNode body = request.json();
        assertThat(body.path("model").asText()).isEqualTo("qwen2.5-7b-instruct");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.has("temperature")).isFalse();
        List<String> messages = new ArrayList<>();
        body.path("messages").forEach(m -> messages.add(m.path("role").asText() + ": " + m.path("content").asText()));
        assertThat(messages).containsExactly(
                "system: You are Ada, the support assistant of Example Shop.",
                "user: And returns?",
                "assistant: Returns are free.",
                "user: " + QUESTION);

        List<String> tools = new ArrayList<>();
        body.path("tools").forEach(t -> {
            assertThat(t.path("type").asText()).isEqualTo("function");
            tools.add(t.path("function").path("name").asText());
        });
        assertThat(tools).containsExactly("handoff_to_human", "end_conversation", "suggest_replies", "set_language",
                "offer_call");
        JsonNode handoff = body.path("tools").get(0).path("function").path("parameters");
        assertThat(handoff.path("properties").path("reason").path("enum").toString())
                .isEqualTo("[\"COMPLEX_QUERY\",\"AGENT_DECISION\",\"POLICY\"]");
        assertThat(handoff.path("properties").path("queue").path("type").asText()).isEqualTo("string");
        JsonNode end = body.path("tools").get(1).path("function").path("parameters");
        assertThat(end.path("properties").path("reason").path("type").asText()).isEqualTo("string");
        JsonNode suggest = body.path("tools").get(2).path("function").path("parameters");
        assertThat(suggest.path("properties").path("options").path("type").asText()).isEqualTo("array");
        assertThat(suggest.path("properties").path("options").path("items").path("type").asText()).isEqualTo("string");
    }

    @Test
    void systemPromptIsKeptAndTheQuestionSentEvenWithANoHistoryBudget() {
        server.thenSse("text");
        finish(agent(settings().withHistoryBudgetChars(0).withTemperature(0.2))
                .reply(conversation("hello", "Hi! How can I help?", QUESTION), QUESTION, sink));

        JsonNode body = server.requests().get(0).json();
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo(QUESTION);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void greetingAsksForAShortGreetingAnsweringASyntheticUserLine() {
        server.thenSse("greeting");

        finish(agent(settings()).greet(conversation(), sink));

        JsonNode messages = server.requests().get(0).json().path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).path("content").asText())
                .startsWith("You are Ada, the support assistant of Example Shop.")
                .contains(ChatRequest.GREETING_INSTRUCTION);
        assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(1).path("content").asText()).isEqualTo("(the user opened the chat)");
        assertThat(String.join("", sink.deltas())).isEqualTo("Hi there! I'm Ada, how can I help you today?");
    }

    @Test
    void authorizationHeaderCarriesTheKeyWhenOneIsSet() {
        server.thenSse("text");

        finish(agent(settings().withApiKey(SECRET)).reply(conversation(QUESTION), QUESTION, sink));

        assertThat(server.requests().get(0).header("authorization")).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void handoffToolCallWithArgumentsSplitAcrossChunksHandsOffAfterTheCompletedMessage() {
        CompletableFuture<List<Call>> atCompletion = ask("handoff").toCompletableFuture().thenApply(v -> sink.calls());
        finish(atCompletion.thenApply(calls -> null));

        assertThat(String.join("", sink.deltas())).isEqualTo("I'll connect you with our billing team.");
        List<Call> calls = sink.calls();
        assertThat(calls.subList(calls.size() - 2, calls.size())).containsExactly(
                new Complete(List.of(), List.of()),
                new Handoff(new HandoffRequest(HandoffReason.COMPLEX_QUERY, "billing")));
        assertThat(atCompletion.join()).as("everything was written when the stage completed").isEqualTo(calls);
    }

    @Test
    void handoffWithoutArgumentsUsesTheDefaultReasonAndQueueAndNoEmptyMessage() {
        finish(ask("handoff-defaults"));

        sink.assertNext(new Handoff(new HandoffRequest(HandoffReason.AGENT_DECISION, "support"))).assertNoMore();
    }

    @Test
    void endConversationToolCallEndsAfterTheCompletedMessage() {
        finish(ask("end"));

        assertThat(String.join("", sink.deltas())).isEqualTo("Glad I could help. Goodbye!");
        List<Call> calls = sink.calls();
        assertThat(calls.subList(calls.size() - 2, calls.size())).containsExactly(
                new Complete(List.of(), List.of()), new End(EndReason.REASON_NATURAL_END));
    }

    @Test
    void suggestRepliesToolCallPutsTheSuggestionsOnTheCompletedMessage() {
        finish(ask("suggest"));

        assertThat(String.join("", sink.deltas())).isEqualTo("You can track your order from the Orders page.");
        List<Call> calls = sink.calls();
        assertThat(calls.get(calls.size() - 1)).isEqualTo(new Complete(List.of(),
                List.of(Suggestion.of("Where is my order?"), Suggestion.of("Talk to a human"))));
    }

    @Test
    void rateLimitedFirstAttemptIsRetriedAfterTheBackoff() {
        server.thenStatus(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
        CompletionStage<Void> turn = ask("text");

        awaitState(1, 3); // first-token and total timers, and the retry
        time.advance(Duration.ofMillis(499));
        assertThat(server.requests()).hasSize(1);
        time.advance(Duration.ofMillis(1));
        finish(turn);

        assertThat(server.requests()).hasSize(2);
        assertThat(String.join("", sink.deltas())).isEqualTo(FakeLlmServer.transcriptText("text"));
        assertThat(metrics.events()).containsExactly("started:llm", "first-token:llm");
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN").contains("http_429"));
    }

    @Test
    void threeServerErrorsGiveTheFallbackTextAsAMessageAndAnErrorLog() {
        String error = "{\"error\":{\"message\":\"model overloaded\"}}";
        server.thenStatus(500, error).thenStatus(500, error).thenStatus(500, error);
        CompletionStage<Void> turn = agent(settings()).reply(conversation(QUESTION), QUESTION, sink);

        awaitState(1, 3);
        time.advance(Duration.ofMillis(500));
        awaitState(2, 3);
        time.advance(Duration.ofMillis(999));
        assertThat(server.requests()).as("the back-off doubles").hasSize(2);
        time.advance(Duration.ofMillis(1));
        finish(turn);

        assertThat(server.requests()).hasSize(3);
        assertThat(ErrorMessages.AGENT_REPLY_FAILED)
                .isEqualTo("Sorry, I'm having trouble responding right now. Please try again.");
        assertFallback();
        assertThat(metrics.events()).containsExactly("started:llm", "failed:llm:http_5xx");
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("ERROR")
                .contains("ses_test").contains("3 attempt(s)").contains("HTTP 500").contains("model overloaded"));
    }

    @Test
    void clientErrorsAreNotRetriedAndNeverLogTheApiKey() {
        LlmSettings settings = settings().withApiKey(SECRET).withFallbackText("Our assistant is away, sorry.");
        assertThat(settings.toString()).doesNotContain(SECRET).contains("apiKey=***");
        assertThat(LlmSettings.DEFAULTS.toString()).contains("apiKey=none");
        server.thenStatus(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + "\"}}");

        finish(agent(settings).reply(conversation(QUESTION), QUESTION, sink));

        assertThat(server.requests()).hasSize(1);
        sink.assertNext(new Text("Our assistant is away, sorry.")).assertNext(new Complete(List.of(), List.of()))
                .assertNoMore();
        assertThat(log.lines()).isNotEmpty().anySatisfy(line -> assertThat(line).contains("HTTP 401").contains("***"));
        assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains(SECRET));
        assertThat(log.lines()).noneSatisfy(line -> assertThat(line).containsIgnoringCase("Bearer"));
    }

    @Test
    void streamCutMidwayCompletesTheMessageThenFailsWithTheStreamErrorWithoutRetrying() {
        finish(ask("cut"));

        sink.assertNext(new Text("Let")).assertNext(new Text(" me")).assertNext(new Text(" check"))
                .assertNext(new Text(" that")).assertNext(new Text(" for")).assertNext(new Complete(List.of(), List.of()));
        List<Call> calls = sink.calls();
        assertThat(calls).hasSize(7);
        assertThat(calls.get(6)).isInstanceOfSatisfying(Fail.class, fail -> {
            assertThat(fail.userMessage()).isEqualTo(ErrorMessages.STREAM_FAILED);
            assertThat(fail.cause()).hasMessageContaining("without [DONE]");
        });
        assertThat(server.requests()).hasSize(1);
        assertThat(metrics.events()).containsExactly("started:llm", "first-token:llm", "failed:llm:stream_cut");
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("ERROR").contains("stream_cut"));
    }

    @Test
    void slowFirstTokenTimesOutCancelsAndSendsTheFallback() {
        server.then(new FakeLlmServer.Stall());
        CompletionStage<Void> turn = agent(settings()).reply(conversation(QUESTION), QUESTION, sink);

        awaitState(1, 2);
        time.advance(Duration.ofSeconds(29));
        assertThat(turn.toCompletableFuture()).as("still waiting for the first token").isNotDone();
        assertThat(sink.calls()).isEmpty();
        time.advance(Duration.ofSeconds(1));
        finish(turn);

        assertFallback();
        assertThat(metrics.events()).containsExactly("started:llm", "failed:llm:timeout");
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("ERROR").contains("timeout"));
        assertThat(time.pending()).isZero();
    }

    @Test
    void cancellingTheTurnStopsItsTimersAndWritesNothingMore() {
        server.then(new FakeLlmServer.Stall());
        CompletionStage<Void> turn = agent(settings()).reply(conversation(QUESTION), QUESTION, sink);
        awaitState(1, 2);

        turn.toCompletableFuture().cancel(true);

        assertThat(time.pending()).as("timers of the cancelled turn").isZero();
        time.advance(Duration.ofSeconds(60));
        assertThat(sink.calls()).as("no fallback after an interruption").isEmpty();
    }

    @Test
    void totalTimeoutAfterSomeTextClosesTheMessageThenFailsWithTheStreamError() {
        server.then(new FakeLlmServer.Stall("llm/cut.sse"));
        CompletionStage<Void> turn = agent(settings()).reply(conversation(QUESTION), QUESTION, sink);

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.deltas().size() == 4);
        assertThat(time.pending()).as("the first-token timer is cancelled").isEqualTo(1);
        time.advance(Duration.ofSeconds(120));
        finish(turn);

        assertThat(String.join("", sink.deltas())).isEqualTo("Let me check that for");
        List<Call> calls = sink.calls();
        assertThat(calls.get(4)).isEqualTo(new Text(" for")); // the word the cutter held, flushed before closing
        assertThat(calls.get(5)).isEqualTo(new Complete(List.of(), List.of()));
        assertThat(calls.get(6)).isInstanceOfSatisfying(Fail.class,
                fail -> assertThat(fail.userMessage()).isEqualTo(ErrorMessages.STREAM_FAILED));
        assertThat(calls).hasSize(7);
        assertThat(metrics.events()).containsExactly("started:llm", "first-token:llm", "failed:llm:timeout");
    }

    @Test
    void connectionErrorsAreRetriedThenGiveTheFallback() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LlmSettings settings = settings().withBaseUrl(URI.create("http://127.0.0.1:" + closedPort + "/v1"))
                .withRetries(1, Duration.ofMillis(200));
        CompletionStage<Void> turn = agent(settings).reply(conversation(QUESTION), QUESTION, sink);

        await().atMost(Duration.ofSeconds(10)).until(() -> time.pending() == 3);
        time.advance(Duration.ofMillis(200));
        finish(turn);

        assertFallback();
        assertThat(metrics.events()).containsExactly("started:llm", "failed:llm:connection");
    }

    @Test
    void profileComesFromTheSettings() {
        assertThat(agent(settings()).profile().name()).isEqualTo("Ada");
        assertThat(agent(settings()).profile().avatarUrl()).isEqualTo("https://example.com/ada.png");
    }
}
