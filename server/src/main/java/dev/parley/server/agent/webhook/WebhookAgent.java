package dev.parley.server.agent.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentMetrics;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.ReplySink;
import dev.parley.server.agent.webhook.WebhookReplies.BadReply;
import dev.parley.server.agent.webhook.WebhookReplies.Step;
import dev.parley.server.time.Scheduler;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent that is somebody else's HTTP endpoint (docs/webhook-agent.md). Each turn is one signed
 * {@code POST}; the bot answers with a whole JSON reply or an ndjson stream of deltas, which reach
 * the user as they arrive. Non-blocking throughout: {@link HttpClient#sendAsync}, line-by-line body
 * subscribers and {@link Scheduler} timers.
 *
 * <p>Failures: a 429, a 5xx, a connection error or a timeout is retried with exponential back-off
 * (honouring a short {@code Retry-After}) up to {@code maxRetries} times, but only while nothing
 * of the answer reached the user, so a retry never repeats text. Anything else (a 4xx, an unknown
 * content type, a reply that breaks the schema) fails the turn at once: the user gets the
 * documented error text, the log gets the reason. The secret is never logged.
 *
 * <p>Reports its turns, first tokens and failures (with a precise reason) to {@link AgentMetrics}
 * itself, so it is not wrapped in a {@code MeteredAgent}.
 */
public final class WebhookAgent implements Agent {
    /** The {@code agent} tag of this agent's metrics and the kind in {@code parley.yaml}. */
    public static final String KIND = "webhook";
    public static final String TURN_ID_HEADER = "X-Parley-Turn-Id";
    public static final String ATTEMPT_HEADER = "X-Parley-Attempt";
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookAgent.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Largest reply (a whole JSON body, or the sum of a stream's lines) a bot may send for one turn. */
    static final int MAX_REPLY_BYTES = 1024 * 1024;

    private final WebhookSettings settings;
    private final HttpClient http;
    private final Scheduler scheduler;
    private final Clock clock;
    private final AgentMetrics metrics;
    private final AgentProfile profile;

    public WebhookAgent(WebhookSettings settings, HttpClient http, Scheduler scheduler, Clock clock,
                        AgentMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.profile = new AgentProfile(settings.agentName(), settings.avatarUrl());
    }

    @Override
    public AgentProfile profile() {
        return profile;
    }

    @Override
    public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
        return new Turn(conversation, null, sink).start();
    }

    @Override
    public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
        return new Turn(conversation, Objects.requireNonNull(text, "text"), sink).start();
    }

    /** The JSON request of one turn (docs/webhook-agent.md, "Request"). */
    String requestBody(Conversation conversation, String userText) {
        ObjectNode body = WebhookReplies.JSON.createObjectNode();
        body.put("event", userText == null ? "greeting" : "message");
        body.put("session_id", conversation.sessionId());
        body.put("connector_id", conversation.connectorId());
        body.put("platform", conversation.platform());
        body.put("streaming", conversation.streaming());
        body.put("language", conversation.language()); // null until an agent set one
        if (userText != null) {
            body.put("text", userText);
        }
        ArrayNode history = body.putArray("history");
        for (Conversation.Turn turn : history(conversation, userText)) {
            history.addObject().put("role", role(turn.speaker())).put("text", turn.text());
        }
        // Only verified values (a token signed by the connector's site); {} when there are none.
        body.set("context", WebhookReplies.JSON.valueToTree(conversation.context()));
        body.put("timestamp", clock.instant().toString());
        try {
            return WebhookReplies.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The earlier messages, without the one being answered (it is {@code text}), at most {@code historyTurns}. */
    private List<Conversation.Turn> history(Conversation conversation, String userText) {
        List<Conversation.Turn> turns = conversation.history() == null ? List.of() : conversation.history();
        int end = turns.size();
        if (userText != null && end > 0 && turns.get(end - 1).speaker() == Conversation.Speaker.USER
                && userText.equals(turns.get(end - 1).text())) {
            end--;
        }
        return turns.subList(Math.max(0, end - settings.historyTurns()), end);
    }

    private static String role(Conversation.Speaker speaker) {
        return switch (speaker) {
            case USER -> "user";
            case AI_AGENT -> "assistant";
            case LIVE_AGENT -> "live_agent";
        };
    }

    /** One greeting or reply, over one or more attempts. Its monitor orders everything written to the sink. */
    private final class Turn {
        private final Conversation conversation;
        private final String userText;
        private final ReplySink sink;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final String turnId = UUID.randomUUID().toString();
        private final long startNanos = System.nanoTime();
        // Guarded by this.
        private int attempts;
        private boolean output;
        private boolean finished;
        private Attempt current;

        Turn(Conversation conversation, String userText, ReplySink sink) {
            this.conversation = conversation;
            this.userText = userText;
            this.sink = sink;
        }

        CompletionStage<Void> start() {
            metrics.turnStarted(KIND);
            send();
            return done;
        }

        private void send() {
            Attempt attempt;
            synchronized (this) {
                if (finished) {
                    return;
                }
                attempt = new Attempt(++attempts);
                current = attempt;
            }
            try {
                String body = requestBody(conversation, userText);
                long timestamp = clock.instant().getEpochSecond();
                HttpRequest request = HttpRequest.newBuilder(settings.url())
                        .timeout(settings.timeout())
                        .header("Content-Type", JSON)
                        .header("Accept", JSON + ", " + NDJSON)
                        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(settings.secret(), timestamp, body))
                        .header(TURN_ID_HEADER, turnId)
                        .header(ATTEMPT_HEADER, Integer.toString(attempt.number))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build();
                attempt.timer = scheduler.schedule(settings.timeout(), attempt::timedOut);
                http.sendAsync(request, attempt::subscriber).whenComplete(attempt::answered);
            } catch (RuntimeException e) {
                fail(attempt, "error", "cannot send the request: " + e, e);
            }
        }

        /** Writes {@code steps} unless {@code attempt} is no longer the live one; false if it is not. */
        private synchronized boolean write(Attempt attempt, List<Step> steps) {
            if (finished || attempt != current) {
                return false;
            }
            if (!output && !steps.isEmpty()) {
                output = true;
                metrics.firstToken(KIND, Duration.ofNanos(System.nanoTime() - startNanos));
            }
            steps.forEach(step -> step.applyTo(sink));
            return true;
        }

        private synchronized void succeed(Attempt attempt) {
            if (finished || attempt != current) {
                return;
            }
            finish(attempt);
        }

        /** A transient problem: tries again after a back-off if allowed and nothing was written yet. */
        private synchronized void retryOrFail(Attempt attempt, String reason, String problem, Duration retryAfter,
                                              Throwable cause) {
            if (finished || attempt != current) {
                return;
            }
            if (output || attempt.number > settings.maxRetries()) {
                String why = output ? " after part of the answer was sent" : " (attempt " + attempt.number + ", no retries left)";
                fail(attempt, reason, problem + why, cause);
                return;
            }
            attempt.cancel();
            current = null; // late news from this attempt is ignored
            Duration delay = backoff(attempt.number, retryAfter);
            LOG.warn("webhook agent {}: {} (attempt {}), retrying in {} ms (session {})", settings.url(), problem,
                    attempt.number, delay.toMillis(), conversation.sessionId());
            scheduler.schedule(delay, this::send);
        }

        private synchronized void fail(Attempt attempt, String reason, String problem, Throwable cause) {
            if (finished || attempt != current) {
                return;
            }
            LOG.error("webhook agent {} failed in session {}: {}", settings.url(), conversation.sessionId(), problem);
            metrics.turnFailed(KIND, reason);
            String userMessage = userText == null ? ErrorMessages.AGENT_START_FAILED : ErrorMessages.AGENT_REPLY_FAILED;
            sink.fail(userMessage, new WebhookException(reason, problem, cause));
            finish(attempt); // after the sink call: the session handles the failure before the end of the turn
        }

        private void finish(Attempt attempt) {
            finished = true;
            if (attempt != null) {
                attempt.cancel();
            }
            done.complete(null);
        }

        /** One HTTP exchange. */
        private final class Attempt {
            final int number;
            volatile Scheduler.Cancellable timer;
            volatile Flow.Subscription lines;
            volatile int status;
            volatile String retryAfter;
            volatile String badContentType;

            Attempt(int number) {
                this.number = number;
            }

            /** Chooses how to read the body once the status and headers are known. */
            HttpResponse.BodySubscriber<Void> subscriber(HttpResponse.ResponseInfo info) {
                status = info.statusCode();
                if (status < 200 || status > 299) {
                    retryAfter = info.headers().firstValue("Retry-After").orElse(null);
                    return HttpResponse.BodySubscribers.discarding();
                }
                String type = info.headers().firstValue("Content-Type").orElse("");
                String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (media.equals(JSON)) {
                    return HttpResponse.BodySubscribers.mapping(new BoundedBody(MAX_REPLY_BYTES, charset(type)), this::whole);
                }
                if (media.equals(NDJSON)) {
                    return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines(this), lines -> null,
                            StandardCharsets.UTF_8, null);
                }
                badContentType = type.isEmpty() ? "(none)" : type;
                return HttpResponse.BodySubscribers.discarding();
            }

            /** A whole JSON reply: validated completely before anything is written. */
            private Void whole(String body) {
                try {
                    if (write(this, WebhookReplies.whole(body))) {
                        succeed(this);
                    }
                } catch (BadReply e) {
                    fail(this, "bad_reply", "bad reply: " + e.getMessage(), null);
                }
                return null;
            }

            void answered(HttpResponse<Void> response, Throwable failure) {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (tooLarge(cause)) {
                        fail(this, "bad_reply", "bad reply: larger than " + MAX_REPLY_BYTES + " bytes", null);
                    } else if (cause instanceof HttpTimeoutException) {
                        retryOrFail(this, "timeout", "no answer within " + settings.timeout().toMillis() + " ms", null, cause);
                    } else if (cause instanceof IOException) {
                        retryOrFail(this, "connection", "connection failed: " + cause, null, cause);
                    } else {
                        fail(this, "error", "request failed: " + cause, cause);
                    }
                    return;
                }
                if (status == 429 || status >= 500) {
                    retryOrFail(this, "status", "bot answered HTTP " + status, parseRetryAfter(retryAfter), null);
                } else if (status < 200 || status > 299) {
                    fail(this, "status", "bot answered HTTP " + status, null);
                } else if (badContentType != null) {
                    fail(this, "bad_reply", "unexpected content type " + badContentType
                            + " (expected " + JSON + " or " + NDJSON + ")", null);
                } else {
                    succeed(this); // a no-op if the body already settled the turn
                }
            }

            void timedOut() {
                retryOrFail(this, "timeout", "no complete answer within " + settings.timeout().toMillis() + " ms",
                        null, null);
            }

            void cancel() {
                Scheduler.Cancellable t = timer;
                if (t != null) {
                    t.cancel();
                }
                Flow.Subscription s = lines;
                if (s != null) {
                    s.cancel();
                }
            }
        }

        /** Applies an ndjson stream line by line, as it arrives. */
        private final class Lines implements Flow.Subscriber<String> {
            private final Attempt attempt;
            private int number;
            /** Characters read so far (close to bytes for the JSON a bot sends). */
            private long received;
            private boolean over;

            Lines(Attempt attempt) {
                this.attempt = attempt;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                attempt.lines = subscription;
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                if (over) {
                    return;
                }
                number++;
                received += line.length() + 1;
                if (received > MAX_REPLY_BYTES) {
                    over = true;
                    attempt.lines.cancel();
                    fail(attempt, "bad_reply", "bad stream: longer than " + MAX_REPLY_BYTES + " bytes", null);
                    return;
                }
                if (line.isBlank()) {
                    return;
                }
                Step step;
                try {
                    step = WebhookReplies.line(line, number);
                } catch (BadReply e) {
                    over = true;
                    fail(attempt, "bad_reply", "bad stream: " + e.getMessage(), null);
                    return;
                }
                if (!write(attempt, List.of(step))) {
                    over = true;
                    attempt.lines.cancel();
                    return;
                }
                if (step instanceof WebhookReplies.Handoff || step instanceof WebhookReplies.End) {
                    over = true; // the conversation moved on: the rest of the stream does not matter
                    succeed(attempt);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                // reported through the response future (answered)
            }

            @Override
            public void onComplete() {
                // the response future completes next (answered)
            }
        }
    }

    static Duration backoff(int attempt, Duration retryAfter) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
        Duration delay = Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : retryAfter;
        }
        return delay;
    }

    private static Duration parseRetryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: the usual back-off will do
        }
    }

    private static java.nio.charset.Charset charset(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return java.nio.charset.Charset.forName(p.substring(8).replace("\"", "").strip());
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** The HTTP client may wrap the body's own failure; look through the causes. */
    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge) {
                return true;
            }
        }
        return false;
    }
}
