package dev.parley.server.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.AttachmentContentType;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.Conversation.Speaker;
import dev.parley.server.agent.Conversation.Turn;
import dev.parley.server.agent.HandoffRequest;
import dev.parley.server.agent.RecordingReplySink;
import dev.parley.server.agent.RecordingReplySink.Complete;
import dev.parley.server.agent.RecordingReplySink.End;
import dev.parley.server.agent.RecordingReplySink.Fail;
import dev.parley.server.agent.RecordingReplySink.Handoff;
import dev.parley.server.agent.RecordingReplySink.Text;
import dev.parley.server.agent.webhook.TestBot.Response;
import dev.parley.server.metrics.MicrometerAgentMetrics;
import dev.parley.server.time.ExecutorScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookAgentTest {
    private static final String SECRET = "bot-secret";
    private static final Conversation STREAMING = new Conversation("ses_1", "con_1", "web", true, List.of(
            new Turn(Speaker.AI_AGENT, "Hello!"), new Turn(Speaker.USER, "older"),
            new Turn(Speaker.LIVE_AGENT, "Sarah here"), new Turn(Speaker.USER, "hi bot")));
    private static final String CARD = "{\"title\":\"Docs\",\"content_url\":\"https://example.com/docs\","
            + "\"content_type\":\"ATTACHMENT_CONTENT_TYPE_URL\",\"preview_image_url\":\"https://example.com/p.png\","
            + "\"call_to_action_text\":\"Open\"}";

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TestBot bot;

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        timers.shutdownNow();
    }

    private WebhookAgent agent(String secret, Duration timeout, int maxRetries, Clock clock) {
        return new WebhookAgent(new WebhookSettings(bot.url(), secret, timeout, maxRetries, "Hook", null, 2),
                http, new ExecutorScheduler(timers), clock, new MicrometerAgentMetrics(meters));
    }

    private WebhookAgent agent() {
        return agent(SECRET, Duration.ofSeconds(5), 2, Clock.systemUTC());
    }

    private static RecordingReplySink reply(WebhookAgent agent, String text) {
        RecordingReplySink sink = new RecordingReplySink();
        await(text == null ? agent.greet(STREAMING, sink) : agent.reply(STREAMING, text, sink));
        return sink;
    }

    private static void await(java.util.concurrent.CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("turn did not complete normally", e);
        }
    }

    @Test
    void theRequestIsSignedAndCarriesTheTurnTheConversationAndTheLastHistoryTurns() {
        bot = TestBot.start(SECRET, TestBot.always(Response.json("{\"messages\":[]}")));

        reply(agent(), "hi bot");
        reply(agent(), null);

        TestBot.Request message = bot.requests().get(0);
        assertThat(message.signatureValid()).isTrue();
        assertThat(message.body().path("event").asText()).isEqualTo("message");
        assertThat(message.body().path("session_id").asText()).isEqualTo("ses_1");
        assertThat(message.body().path("connector_id").asText()).isEqualTo("con_1");
        assertThat(message.body().path("platform").asText()).isEqualTo("web");
        assertThat(message.body().path("streaming").asBoolean()).isTrue();
        assertThat(message.body().path("text").asText()).isEqualTo("hi bot");
        // history_turns = 2; the message being answered is in "text", not repeated in the history
        assertThat(message.body().path("history").toString()).isEqualTo(
                "[{\"role\":\"user\",\"text\":\"older\"},{\"role\":\"live_agent\",\"text\":\"Sarah here\"}]");
        assertThat(Instant.parse(message.body().path("timestamp").asText())).isNotNull();
        TestBot.Request greeting = bot.requests().get(1);
        assertThat(greeting.body().path("event").asText()).isEqualTo("greeting");
        assertThat(greeting.body().has("text")).isFalse();
    }

    @Test
    void aJsonReplyBecomesMessagesWithAttachmentsAndSuggestionsThenTheHandoff() {
        bot = TestBot.start(SECRET, TestBot.always(Response.json("{\"messages\":["
                + "{\"text\":\"Here you go\",\"attachments\":[" + CARD + "],\"suggestions\":[\"Thanks\",\"More\"]},"
                + "{\"text\":\"Connecting you\"}],"
                + "\"handoff\":{\"reason\":\"COMPLEX_QUERY\",\"queue\":\"support\"},\"end\":false}")));

        RecordingReplySink sink = reply(agent(), "hi bot");

        sink.assertNext(new Text("Here you go"))
                .assertNext(new Complete(List.of(new Attachment("Docs", "https://example.com/p.png", "https://example.com/docs",
                        AttachmentContentType.ATTACHMENT_CONTENT_TYPE_URL, "Open")), List.of(Suggestion.of("Thanks"), Suggestion.of("More"))))
                .assertNext(new Text("Connecting you"))
                .assertNext(new Complete(List.of(), List.of()))
                .assertNext(new Handoff(new HandoffRequest(HandoffReason.COMPLEX_QUERY, "support")))
                .assertNoMore();
    }

    @Test
    void aJsonReplyMayEndTheConversation() {
        bot = TestBot.start(SECRET, TestBot.always(Response.json("{\"messages\":[{\"text\":\"Bye\"}],\"handoff\":null,\"end\":true}")));

        reply(agent(), "bye").assertNext(new Text("Bye")).assertNext(new Complete(List.of(), List.of()))
                .assertNext(new End(EndReason.REASON_NATURAL_END)).assertNoMore();
    }

    @Test
    void anNdjsonStreamBecomesTextDeltasThenTheCompletedMessageThenTheEnd() {
        bot = TestBot.start(SECRET, TestBot.always(Response.ndjson(
                "{\"delta\":\"Hel\"}", "{\"delta\":\"lo \"}", "", "{\"delta\":\"there\"}",
                "{\"complete\":true,\"attachments\":[" + CARD + "],\"suggestions\":[\"Ok\"]}",
                "{\"end\":true}")));

        RecordingReplySink sink = reply(agent(), "hi bot");

        sink.assertNext(new Text("Hel")).assertNext(new Text("lo ")).assertNext(new Text("there"));
        assertThat(sink.calls().get(3)).isInstanceOfSatisfying(Complete.class, c -> {
            assertThat(c.attachments()).extracting(Attachment::title).containsExactly("Docs");
            assertThat(c.suggestions()).containsExactly(Suggestion.of("Ok"));
        });
        assertThat(sink.calls().get(4)).isEqualTo(new End(EndReason.REASON_NATURAL_END));
        assertThat(sink.calls()).hasSize(5);
    }

    @Test
    void anNdjsonStreamMayHandOff() {
        bot = TestBot.start(SECRET, TestBot.always(Response.ndjson("{\"delta\":\"One moment\"}", "{\"complete\":true}",
                "{\"handoff\":{\"reason\":\"POLICY\",\"queue\":\"sales\"}}")));

        reply(agent(), "human please").assertNext(new Text("One moment")).assertNext(new Complete(List.of(), List.of()))
                .assertNext(new Handoff(new HandoffRequest(HandoffReason.POLICY, "sales"))).assertNoMore();
    }

    @Test
    void aBotThatRejectsTheSignatureFailsTheTurnWithoutRetrying() {
        bot = TestBot.start(SECRET, TestBot.always(Response.json("{\"messages\":[{\"text\":\"never\"}]}")));

        RecordingReplySink sink = reply(agent("wrong-secret", Duration.ofSeconds(5), 2, Clock.systemUTC()), "hi bot");

        assertFailed(sink, ErrorMessages.AGENT_REPLY_FAILED, "HTTP 401");
        assertThat(bot.requests()).hasSize(1).allMatch(r -> !r.signatureValid());
        assertThat(meters.counter(MicrometerAgentMetrics.ERRORS, "agent", "webhook", "reason", "status").count()).isEqualTo(1);
    }

    @Test
    void aStaleTimestampIsRefusedByTheBotAndFailsTheTurn() {
        bot = TestBot.start(SECRET, TestBot.always(Response.json("{\"messages\":[{\"text\":\"never\"}]}")));
        Clock tenMinutesSlow = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);

        RecordingReplySink sink = reply(agent(SECRET, Duration.ofSeconds(5), 0, tenMinutesSlow), "hi bot");

        assertFailed(sink, ErrorMessages.AGENT_REPLY_FAILED, "HTTP 401");
        assertThat(bot.requests()).singleElement().matches(r -> !r.signatureValid());
    }

    @Test
    void aFailedGreetingUsesTheDocumentedStartError() {
        bot = TestBot.start(SECRET, TestBot.always(Response.status(404)));

        assertFailed(reply(agent(), null), ErrorMessages.AGENT_START_FAILED, "HTTP 404");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1,2]",
            "{\"messages\":{\"text\":\"x\"}}",
            "{\"messages\":[{\"text\":42}]}",
            "{\"messages\":[{\"txt\":\"typo\"}]}",
            "{\"messages\":[{\"text\":\"x\",\"suggestions\":[1]}]}",
            "{\"messages\":[{\"text\":\"x\",\"attachments\":[{\"title\":\"t\",\"content_url\":\"javascript:alert(1)\",\"content_type\":\"ATTACHMENT_CONTENT_TYPE_URL\"}]}]}",
            "{\"messages\":[{\"text\":\"x\",\"attachments\":[{\"title\":\"t\",\"content_url\":\"https://e.com\",\"content_type\":\"VIDEO\"}]}]}",
            "{\"messages\":[{\"text\":\"x\",\"attachments\":[{\"content_url\":\"https://e.com\",\"content_type\":\"ATTACHMENT_CONTENT_TYPE_URL\"}]}]}",
            "{\"handoff\":{\"reason\":\"BORED\",\"queue\":\"support\"}}",
            "{\"handoff\":{\"reason\":\"POLICY\"}}",
            "{\"end\":\"yes\"}",
            "{\"handoff\":{\"reason\":\"POLICY\",\"queue\":\"q\"},\"end\":true}",
    })
    void aMalformedJsonReplyFailsTheTurnWithTheDocumentedMessageAndWritesNothingElse(String body) {
        bot = TestBot.start(SECRET, TestBot.always(Response.json(body)));

        assertFailed(reply(agent(), "hi bot"), ErrorMessages.AGENT_REPLY_FAILED, "bad reply");
        assertThat(bot.requests()).as("a broken reply is not retried").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"delta\":5}", "{\"text\":\"hi\"}", "{\"complete\":false}", "nope", "{\"delta\":\"a\",\"end\":true}"})
    void aMalformedStreamLineFailsTheTurn(String line) {
        bot = TestBot.start(SECRET, TestBot.always(Response.ndjson(line)));

        assertFailed(reply(agent(), "hi bot"), ErrorMessages.AGENT_REPLY_FAILED, "bad stream");
    }

    @Test
    void aStreamBrokenAfterSomeTextKeepsTheTextAndFails() {
        bot = TestBot.start(SECRET, TestBot.always(Response.ndjson("{\"delta\":\"Half a \"}", "{oops")));

        RecordingReplySink sink = reply(agent(), "hi bot");

        sink.assertNext(new Text("Half a "));
        assertThat(sink.calls().get(1)).isInstanceOfSatisfying(Fail.class,
                f -> assertThat(f.cause()).hasMessageContaining("stream line 2"));
        assertThat(bot.requests()).as("never retried once text went out").hasSize(1);
    }

    @Test
    void aReplyLargerThanTheCapFailsTheTurnWithoutBeingBuffered() {
        String huge = "{\"messages\":[{\"text\":\"" + "x".repeat(WebhookAgent.MAX_REPLY_BYTES) + "\"}]}";
        bot = TestBot.start(SECRET, TestBot.always(Response.json(huge)));

        assertFailed(reply(agent(), "hi bot"), ErrorMessages.AGENT_REPLY_FAILED, "larger than");
        assertThat(bot.requests()).as("an oversized reply is not retried").hasSize(1);
    }

    @Test
    void aStreamLongerThanTheCapFailsTheTurn() {
        String[] lines = new String[20];
        java.util.Arrays.fill(lines, "{\"delta\":\"" + "y".repeat(WebhookAgent.MAX_REPLY_BYTES / 16) + "\"}");
        bot = TestBot.start(SECRET, TestBot.always(Response.ndjson(lines)));

        RecordingReplySink sink = reply(agent(), "hi bot");

        assertThat(sink.calls()).last().isInstanceOfSatisfying(Fail.class,
                f -> assertThat(f.cause()).hasMessageContaining("longer than"));
    }

    @Test
    void anUnknownContentTypeFailsTheTurn() {
        bot = TestBot.start(SECRET, TestBot.always(Response.of("text/html", "<p>hi</p>")));

        assertFailed(reply(agent(), "hi bot"), ErrorMessages.AGENT_REPLY_FAILED, "unexpected content type text/html");
    }

    @Test
    void aServerErrorIsRetriedAndTheSecondAnswerIsUsed() {
        bot = TestBot.start(SECRET, request -> request.attempt() == 1 ? Response.status(500)
                : Response.json("{\"messages\":[{\"text\":\"second time lucky\"}]}"));

        reply(agent(), "hi bot").assertNext(new Text("second time lucky")).assertNext(new Complete(List.of(), List.of()))
                .assertNoMore();
        assertThat(bot.requests()).extracting(TestBot.Request::attempt).containsExactly(1, 2);
        assertThat(bot.requests()).allMatch(TestBot.Request::signatureValid);
    }

    @Test
    void tooManyRequestsIsRetriedUntilTheRetriesRunOut() {
        bot = TestBot.start(SECRET, TestBot.always(Response.status(429)));

        assertFailed(reply(agent(SECRET, Duration.ofSeconds(5), 1, Clock.systemUTC()), "hi bot"),
                ErrorMessages.AGENT_REPLY_FAILED, "HTTP 429");
        assertThat(bot.requests()).hasSize(2);
    }

    @Test
    void aBotThatDoesNotAnswerInTimeFailsTheTurnWithATimeout() {
        bot = TestBot.start(SECRET, TestBot.always(Response.hang()));

        RecordingReplySink sink = reply(agent(SECRET, Duration.ofMillis(300), 0, Clock.systemUTC()), "hi bot");

        assertFailed(sink, ErrorMessages.AGENT_REPLY_FAILED, "300 ms");
        assertThat(meters.counter(MicrometerAgentMetrics.ERRORS, "agent", "webhook", "reason", "timeout").count()).isEqualTo(1);
    }

    @Test
    void anUnreachableBotIsAConnectionFailure() {
        bot = TestBot.start(SECRET, TestBot.always(Response.hang()));
        WebhookAgent agent = new WebhookAgent(new WebhookSettings(java.net.URI.create("http://127.0.0.1:1/hook"), SECRET,
                Duration.ofSeconds(5), 1, "Hook", null, 2), http, new ExecutorScheduler(timers), Clock.systemUTC(),
                new MicrometerAgentMetrics(meters));

        assertFailed(reply(agent, "hi bot"), ErrorMessages.AGENT_REPLY_FAILED, "connection failed");
        assertThat(meters.counter(MicrometerAgentMetrics.ERRORS, "agent", "webhook", "reason", "connection").count()).isEqualTo(1);
    }

    @Test
    void turnsAndFirstTokensAreCounted() {
        bot = TestBot.start(SECRET, TestBot.always(Response.json("{\"messages\":[{\"text\":\"hi\"}]}")));

        reply(agent(), "a");
        reply(agent(), "b");

        assertThat(meters.counter(MicrometerAgentMetrics.TURNS, "agent", "webhook").count()).isEqualTo(2);
        assertThat(meters.timer(MicrometerAgentMetrics.FIRST_TOKEN, "agent", "webhook").count()).isEqualTo(2);
    }

    @Test
    void theSecretNeverShowsInTheSettings() {
        assertThat(new WebhookSettings(java.net.URI.create("http://x"), "hush-hush", Duration.ofSeconds(1), 0, "n", null, 0)
                .toString()).doesNotContain("hush-hush");
    }

    private static void assertFailed(RecordingReplySink sink, String userMessage, String problem) {
        assertThat(sink.calls()).singleElement().isInstanceOfSatisfying(Fail.class, f -> {
            assertThat(f.userMessage()).isEqualTo(userMessage);
            assertThat(f.cause()).hasMessageContaining(problem);
        });
    }
}
