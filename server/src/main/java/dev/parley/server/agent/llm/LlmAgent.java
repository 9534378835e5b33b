package dev.parley.server.agent.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.ChatCallAction;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.Suggestion;
import dev.parley.protocol.codec.Json;
import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentMetrics;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.HandoffRequest;
import dev.parley.server.agent.MessageOptions;
import dev.parley.server.agent.StreamCutter;
import dev.parley.server.agent.ReplySink;
import dev.parley.server.agent.llm.CompletionStream.StreamException;
import dev.parley.server.agent.llm.CompletionStream.ToolCall;
import dev.parley.server.time.Scheduler;
import dev.parley.server.time.Scheduler.Cancellable;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Agent} backed by an OpenAI-compatible {@code POST {base}/chat/completions} with
 * {@code stream: true}, read as Server-Sent Events line by line without blocking a thread.
 *
 * <p><b>Request.</b> The system prompt (always kept), the earlier turns of the transcript that fit
 * {@link LlmSettings#historyBudgetChars()} (oldest dropped first; the AI and live agents both map
 * to {@code assistant}), then the user turn being answered. A greeting appends
 * {@value ChatRequest#GREETING_INSTRUCTION} to the system prompt and sends the synthetic user line
 * {@value ChatRequest#GREETING_USER_LINE}. Four tools are declared; they are terminal actions, run
 * once the stream is over, and are not answered with tool results:
 * <ul>
 *   <li>{@code handoff_to_human(reason: COMPLEX_QUERY|AGENT_DECISION|POLICY, queue)} →
 *       {@link ReplySink#handoff} (reason defaults to {@code AGENT_DECISION}, queue to {@value #DEFAULT_QUEUE});</li>
 *   <li>{@code end_conversation(reason)} → the reply is the closing message ({@code end_conversation: true}),
 *       then the session ends with {@code REASON_NATURAL_END} ({@link ReplySink#end} when there is no reply);</li>
 *   <li>{@code offer_call(title, contact_number)} → a call button ({@code chat_call_actions}) on the reply;</li>
 *   <li>{@code suggest_replies(options[])} → suggestions on the completed message;</li>
 *   <li>{@code set_language(language_code)} → {@link ReplySink#language} before the message completes
 *       (the current language is told to the model in the system prompt).</li>
 * </ul>
 *
 * <p><b>Turn.</b> Each content delta is written to the sink as it arrives, re-cut at word ends by a
 * {@link StreamCutter} so chunks read right however a client joins them; at {@code data: [DONE]}
 * (or end of body after a {@code finish_reason}) the message is completed with the suggestions,
 * then the handoff or end, if any, is written, and only then does the turn's stage complete.
 *
 * <p><b>Failures.</b> Before the first token (content or tool-call delta), a 429, a 5xx or a
 * connection error is retried up to {@link LlmSettings#maxRetries()} times after a back-off
 * ({@link LlmSettings#initialBackoff()}, doubled each time); other statuses are not retried. When no
 * attempt succeeds, or the first token does not come within {@link LlmSettings#firstTokenTimeout()}
 * (counted from the start of the turn, retries included), the request is cancelled, the failure is
 * logged at error level and {@link LlmSettings#fallbackText()} is written as a normal agent
 * message. When the stream breaks after text was written (connection closed without {@code [DONE]},
 * a malformed chunk, {@link LlmSettings#totalTimeout()}), the message is completed and then
 * {@link ReplySink#fail} is called with {@link ErrorMessages#STREAM_FAILED}, so the user sees the
 * closed partial message and the documented system message. The api key is never logged.
 *
 * <p>Cancelling the returned stage (the session does so when a new user message interrupts an
 * interruptible agent, see {@code cancel_on_new_message}) cancels the request in flight.
 *
 * <p>Timers run on the injected {@link Scheduler}; latency is measured with the injected
 * {@link Clock}; metrics are reported as agent kind {@value #KIND}.
 */
public final class LlmAgent implements Agent {
    public static final String KIND = "llm";
    public static final String DEFAULT_QUEUE = "support";
    private static final Logger LOG = LoggerFactory.getLogger(LlmAgent.class);

    private final LlmSettings settings;
    private final HttpClient http;
    private final Scheduler scheduler;
    private final Clock clock;
    private final AgentMetrics metrics;

    public LlmAgent(LlmSettings settings, HttpClient http, Scheduler scheduler, Clock clock, AgentMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** An HTTP/1.1 client with the settings' connect timeout (local servers rarely speak h2c). */
    public static HttpClient httpClient(LlmSettings settings) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public LlmSettings settings() {
        return settings;
    }

    @Override
    public AgentProfile profile() {
        return new AgentProfile(settings.agentName(), settings.avatarUrl());
    }

    @Override
    public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
        return new Turn(conversation.sessionId(), "greeting", ChatRequest.greeting(settings, conversation), sink)
                .start();
    }

    @Override
    public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
        return new Turn(conversation.sessionId(), "reply", ChatRequest.reply(settings, conversation, text), sink)
                .start();
    }

    /** The outcome of one HTTP exchange: the SSE body was read to its end, or the provider refused. */
    private sealed interface Outcome permits Streamed, Refused {
    }

    private record Streamed() implements Outcome {
    }

    private record Refused(int status, String body) implements Outcome {
    }

    /** An error reported by the provider or the stream; its message never holds the api key. */
    static final class LlmException extends IOException {
        LlmException(String message) {
            super(message);
        }

        LlmException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One greeting or reply: attempts, timers and the state of the stream. Every transition runs
     * under this object's lock (HTTP callbacks and timers come from different threads); sink calls
     * are made under it too, so they stay in order. Callbacks of a superseded attempt are ignored.
     */
    private final class Turn implements CompletionStream.Listener {
        private final String sessionId;
        private final String kind;
        private final byte[] body;
        private final ReplySink sink;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Instant started;
        private Cancellable firstTokenTimer;
        private Cancellable totalTimer;
        private Cancellable retryTimer;
        private Attempt current;
        private int attempts;
        private boolean firstToken;
        private boolean wroteText;
        /** Re-cuts the model's deltas at word ends (PROTOCOL.md §7, issue 12 item 7). */
        private final StreamCutter cutter = new StreamCutter();
        private boolean finished;

        Turn(String sessionId, String kind, ObjectNode body, ReplySink sink) {
            this.sessionId = sessionId;
            this.kind = kind;
            this.sink = Objects.requireNonNull(sink, "sink");
            // The session cancels the stage when a newer user message interrupts this turn.
            done.whenComplete((ignored, failure) -> {
                if (done.isCancelled()) {
                    synchronized (this) {
                        if (!finished) {
                            finish(true);
                        }
                    }
                }
            });
            try {
                this.body = Json.MAPPER.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a chat request", e);
            }
        }

        /** One HTTP request and what was read of its stream. */
        private final class Attempt {
            final CompletionStream stream = new CompletionStream(Turn.this);
            CompletableFuture<HttpResponse<Outcome>> future;
            Flow.Subscription subscription;

            void cancel() {
                if (subscription != null) {
                    subscription.cancel();
                }
                if (future != null) {
                    future.cancel(true);
                }
            }
        }

        CompletionStage<Void> start() {
            metrics.turnStarted(KIND);
            synchronized (this) {
                started = clock.instant();
                firstTokenTimer = scheduler.schedule(settings.firstTokenTimeout(), this::firstTokenTimedOut);
                totalTimer = scheduler.schedule(settings.totalTimeout(), this::totalTimedOut);
                send();
            }
            return done;
        }

        /** Starts an attempt. Called with the lock held. */
        private void send() {
            attempts++;
            Attempt attempt = new Attempt();
            current = attempt;
            retryTimer = null;
            HttpRequest.Builder request = HttpRequest.newBuilder(settings.chatCompletionsUri())
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (settings.hasApiKey()) {
                request.header("Authorization", "Bearer " + settings.apiKey());
            }
            try {
                attempt.future = http.sendAsync(request.build(), info -> bodyFor(attempt, info));
            } catch (RuntimeException e) {
                fallback("bad_request", new LlmException("cannot send the request: " + e.getMessage(), e));
                return;
            }
            attempt.future.whenComplete((response, failure) -> exchangeDone(attempt, response, failure));
        }

        private BodySubscriber<Outcome> bodyFor(Attempt attempt, ResponseInfo info) {
            int status = info.statusCode();
            if (status >= 200 && status < 300) {
                return BodySubscribers.fromLineSubscriber(new Lines(attempt), lines -> new Streamed(),
                        StandardCharsets.UTF_8, null);
            }
            return BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8),
                    text -> new Refused(status, text));
        }

        /** Feeds the lines of a 2xx body to the attempt's {@link CompletionStream}. */
        private final class Lines implements Flow.Subscriber<String> {
            private final Attempt attempt;

            Lines(Attempt attempt) {
                this.attempt = attempt;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                boolean stale;
                synchronized (Turn.this) {
                    stale = attempt != current || finished;
                    attempt.subscription = subscription;
                }
                if (stale) {
                    subscription.cancel();
                } else {
                    subscription.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(String line) {
                synchronized (Turn.this) {
                    if (attempt != current || finished) {
                        return;
                    }
                    try {
                        attempt.stream.line(line);
                        if (attempt.stream.done()) {
                            succeed(attempt);
                        }
                    } catch (StreamException e) {
                        attempt.cancel();
                        broken("bad_response", new LlmException(redact(e.getMessage()), e.getCause()), false);
                    } catch (RuntimeException e) {
                        attempt.cancel();
                        crash(e);
                    }
                }
            }

            @Override
            public void onError(Throwable failure) {
                // The exchange's future fails too: handled in exchangeDone.
            }

            @Override
            public void onComplete() {
                // The exchange's future completes too: handled in exchangeDone.
            }
        }

        private void exchangeDone(Attempt attempt, HttpResponse<Outcome> response, Throwable failure) {
            synchronized (this) {
                if (attempt != current || finished) {
                    return;
                }
                try {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        broken("connection", new LlmException("request failed: " + redact(String.valueOf(cause)),
                                cause), true);
                    } else if (response.body() instanceof Refused refused) {
                        boolean retryable = refused.status() == 429 || refused.status() >= 500;
                        broken("http_" + (refused.status() == 429 ? "429" : refused.status() / 100 + "xx"),
                                new LlmException("HTTP " + refused.status() + ": "
                                        + redact(CompletionStream.abbreviate(refused.body()))), retryable);
                    } else {
                        attempt.stream.end();
                        if (attempt.stream.done() || attempt.stream.finishReason() != null) {
                            succeed(attempt);
                        } else {
                            broken("stream_cut", new LlmException("stream ended without [DONE]"), true);
                        }
                    }
                } catch (StreamException e) {
                    broken("bad_response", new LlmException(redact(e.getMessage()), e.getCause()), false);
                } catch (RuntimeException e) {
                    crash(e);
                }
            }
        }

        @Override
        public void content(String delta) {
            started();
            if (!wroteText) {
                wroteText = true;
                metrics.firstToken(KIND, Duration.between(started, clock.instant()));
            }
            String ready = cutter.add(delta);
            if (!ready.isEmpty()) {
                sink.text(ready);
            }
        }

        /** The words the cutter still holds; called before the message is completed. */
        private void flushText() {
            String rest = cutter.flush();
            if (!rest.isEmpty()) {
                sink.text(rest);
            }
        }

        @Override
        public void toolActivity() {
            started();
        }

        private void started() {
            if (!firstToken) {
                firstToken = true;
                firstTokenTimer.cancel();
            }
        }

        /**
         * The current attempt failed. Before the first token a retryable failure is retried while
         * attempts remain, else the fallback text goes out; after it the turn is cut.
         */
        private void broken(String reason, LlmException cause, boolean retryable) {
            if (firstToken) {
                cut(reason, cause);
            } else if (retryable && attempts <= settings.maxRetries()) {
                Duration backoff = settings.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
                LOG.warn("LLM {} attempt {} in session {} failed ({}), retrying in {} ms: {}", kind, attempts,
                        sessionId, reason, backoff.toMillis(), cause.getMessage());
                current = null;
                retryTimer = scheduler.schedule(backoff, this::retry);
            } else {
                fallback(reason, cause);
            }
        }

        private void retry() {
            synchronized (this) {
                if (!finished) {
                    send();
                }
            }
        }

        private void firstTokenTimedOut() {
            synchronized (this) {
                if (finished || firstToken) {
                    return;
                }
                fallback("timeout", new HttpTimeoutException(
                        "no token within " + settings.firstTokenTimeout().toMillis() + " ms"));
            }
        }

        private void totalTimedOut() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                HttpTimeoutException cause = new HttpTimeoutException(
                        "no [DONE] within " + settings.totalTimeout().toMillis() + " ms");
                if (firstToken) {
                    cut("timeout", cause);
                } else {
                    fallback("timeout", cause);
                }
            }
        }

        /** Stops timers and the request in flight; the turn takes no more input. Idempotent. */
        private void finish(boolean cancelRequest) {
            finished = true;
            firstTokenTimer.cancel();
            totalTimer.cancel();
            if (retryTimer != null) {
                retryTimer.cancel();
            }
            if (cancelRequest && current != null) {
                current.cancel();
            }
        }

        /** No answer: log, then write the configured fallback text as a normal message. */
        private void fallback(String reason, Throwable cause) {
            finish(true);
            LOG.error("LLM {} failed in session {} after {} attempt(s) ({}); sent the fallback text", kind,
                    sessionId, attempts, reason, cause);
            metrics.turnFailed(KIND, reason);
            sink.text(settings.fallbackText());
            sink.complete(List.of(), List.of());
            done.complete(null);
        }

        /** The stream broke after the first token: close what was written, then report the stream error. */
        private void cut(String reason, Throwable cause) {
            if (!wroteText) {
                fallback(reason, cause); // only a tool call had started: nothing to close
                return;
            }
            finish(true);
            LOG.error("LLM {} stream broke in session {} ({})", kind, sessionId, reason, cause);
            metrics.turnFailed(KIND, reason);
            flushText();
            sink.complete(List.of(), List.of());
            sink.fail(ErrorMessages.STREAM_FAILED, cause);
            done.complete(null);
        }

        /** A bug of ours or of the sink: let the core report it with the documented text. */
        private void crash(RuntimeException e) {
            finish(true);
            metrics.turnFailed(KIND, "internal");
            done.completeExceptionally(e);
        }

        /** {@code [DONE]}: complete the message with its suggestions, then hand off or end. */
        private void succeed(Attempt attempt) {
            finish(false);
            List<Suggestion> suggestions = new ArrayList<>();
            List<ChatCallAction> callActions = new ArrayList<>();
            HandoffRequest handoff = null;
            boolean end = false;
            String language = null;
            for (ToolCall call : attempt.stream.toolCalls()) {
                JsonNode args = arguments(call);
                String name = call.name() == null ? "" : call.name();
                switch (name) {
                    case ChatRequest.SUGGEST_TOOL -> args.path("options").forEach(option -> {
                        if (option.isTextual() && !option.asText().isBlank()) {
                            suggestions.add(Suggestion.of(option.asText().strip()));
                        }
                    });
                    case ChatRequest.HANDOFF_TOOL -> handoff = new HandoffRequest(reason(args.path("reason").asText("")),
                            args.path("queue").asText("").isBlank() ? DEFAULT_QUEUE : args.path("queue").asText().strip());
                    case ChatRequest.END_TOOL -> end = true;
                    case ChatRequest.LANGUAGE_TOOL -> language = args.path("language_code").asText("");
                    case ChatRequest.CALL_TOOL -> callAction(args).ifPresent(callActions::add);
                    default -> LOG.warn("LLM {} in session {} called an unknown tool '{}'; ignored", kind, sessionId,
                            name);
                }
            }
            if ("length".equals(attempt.stream.finishReason())) {
                LOG.warn("LLM {} in session {} was cut at the token limit", kind, sessionId);
            }
            if (!wroteText && suggestions.isEmpty() && handoff == null && !end && language == null
                    && callActions.isEmpty()) {
                fallback("empty", new LlmException("the model sent neither text nor a tool call"));
                return;
            }
            if (language != null) {
                sink.language(language); // ahead of the message when it is sent whole; the session checks the tag
            }
            flushText();
            boolean message = wroteText || !suggestions.isEmpty() || !callActions.isEmpty();
            boolean closing = end && handoff == null;
            if (message) {
                // A closing reply says so itself (end_conversation), and the session ends right after it.
                sink.complete(List.of(), List.copyOf(suggestions), new MessageOptions(callActions, closing));
            }
            if (handoff != null) {
                sink.handoff(handoff);
            } else if (end && !message) {
                sink.end(EndReason.REASON_NATURAL_END);
            }
            done.complete(null);
        }

        /** {@code offer_call(title, contact_number)}; a call without a number offers nothing. */
        private Optional<ChatCallAction> callAction(JsonNode args) {
            String number = args.path("contact_number").asText("").strip();
            if (number.isEmpty()) {
                LOG.warn("LLM {} in session {} offered a call without a number; ignored", kind, sessionId);
                return Optional.empty();
            }
            String title = args.path("title").asText("").strip();
            return Optional.of(ChatCallAction.of(title.isEmpty() ? number : title, number));
        }

        private JsonNode arguments(ToolCall call) {
            String text = call.arguments() == null ? "" : call.arguments().strip();
            if (text.isEmpty()) {
                return Json.MAPPER.createObjectNode();
            }
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                return node == null ? Json.MAPPER.createObjectNode() : node;
            } catch (JsonProcessingException e) {
                LOG.warn("LLM {} in session {}: arguments of {} are not JSON; defaults used: {}", kind, sessionId,
                        call.name(), CompletionStream.abbreviate(text));
                return Json.MAPPER.createObjectNode();
            }
        }
    }

    private static HandoffReason reason(String text) {
        try {
            return HandoffReason.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return HandoffReason.AGENT_DECISION;
        }
    }

    /** Removes the api key from text that may echo the request (provider errors). */
    private String redact(String text) {
        if (text == null || !settings.hasApiKey()) {
            return text;
        }
        return text.replace(settings.apiKey(), "***");
    }
}
