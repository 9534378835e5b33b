package dev.parley.server.agent;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.Suggestion;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reports turns, first tokens and failures of an agent that does not report them itself (the
 * scripted agent), by watching its {@link ReplySink}: a turn starts with each call, the first
 * token is the first text or completed message, a failure is a {@link ReplySink#fail} or a failed
 * stage. Agents whose constructor takes {@link AgentMetrics} (webhook, LLM) report on their own,
 * with precise failure reasons, and are not wrapped, so nothing is counted twice.
 */
public final class MeteredAgent implements Agent {
    private final Agent agent;
    private final String name;
    private final AgentMetrics metrics;

    /** @param name the {@code agent} tag, e.g. {@code scripted} */
    public MeteredAgent(Agent agent, String name, AgentMetrics metrics) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.name = Objects.requireNonNull(name, "name");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public AgentProfile profile() {
        return agent.profile();
    }

    @Override
    public AgentProfile profile(String connectorId) {
        return agent.profile(connectorId);
    }

    @Override
    public boolean interruptible(String connectorId) {
        return agent.interruptible(connectorId);
    }

    @Override
    public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
        Watched watched = new Watched(sink);
        return watched.watch(agent.greet(conversation, watched));
    }

    @Override
    public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
        Watched watched = new Watched(sink);
        return watched.watch(agent.reply(conversation, text, watched));
    }

    /** Low-cardinality reason for a failure cause. */
    static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return "timeout";
            }
            if (t instanceof java.io.IOException) {
                return "connection";
            }
        }
        return "error";
    }

    /** The agent's sink, passing everything through and noting the first output and failures. */
    private final class Watched implements ReplySink {
        private final ReplySink sink;
        private final long startNanos;
        private final AtomicBoolean firstSeen = new AtomicBoolean();
        private final AtomicBoolean failed = new AtomicBoolean();

        Watched(ReplySink sink) {
            this.sink = sink;
            metrics.turnStarted(name);
            this.startNanos = System.nanoTime();
        }

        CompletionStage<Void> watch(CompletionStage<Void> stage) {
            return stage.whenComplete((ok, failure) -> {
                if (failure != null) {
                    failed(failure);
                }
            });
        }

        private void first() {
            if (firstSeen.compareAndSet(false, true)) {
                metrics.firstToken(name, Duration.ofNanos(System.nanoTime() - startNanos));
            }
        }

        private void failed(Throwable cause) {
            if (failed.compareAndSet(false, true)) {
                metrics.turnFailed(name, reason(cause));
            }
        }

        @Override
        public void text(String delta) {
            if (delta != null && !delta.isEmpty()) {
                first();
            }
            sink.text(delta);
        }

        @Override
        public void complete(List<Attachment> attachments, List<Suggestion> suggestions) {
            first();
            sink.complete(attachments, suggestions);
        }

        @Override
        public void language(String languageCode) {
            sink.language(languageCode);
        }

        @Override
        public void complete(List<Attachment> attachments, List<Suggestion> suggestions, MessageOptions options) {
            first();
            sink.complete(attachments, suggestions, options);
        }

        @Override
        public void handoff(HandoffRequest request) {
            sink.handoff(request);
        }

        @Override
        public void end(EndReason reason) {
            sink.end(reason);
        }

        @Override
        public void fail(String userMessage, Throwable cause) {
            failed(cause);
            sink.fail(userMessage, cause);
        }
    }
}
