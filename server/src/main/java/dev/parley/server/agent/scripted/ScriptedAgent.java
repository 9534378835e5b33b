package dev.parley.server.agent.scripted;

import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.ContextPlaceholders;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.ReplySink;
import dev.parley.server.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The default AI agent: answers from a {@link Flow}. When the session streams, a reply goes out as
 * deltas of a few words, one per {@code chunkDelay}, so clients see it being "typed"; the first
 * delta is written at once and the rest from {@link Scheduler} callbacks, so no call ever blocks.
 */
public final class ScriptedAgent implements Agent {
    /** Small enough to look like typing, large enough not to flood the wire. */
    static final int WORDS_PER_DELTA = 3;

    private final Flow flow;
    private final FlowMatcher matcher;
    private final Scheduler scheduler;
    private final Duration chunkDelay;

    public ScriptedAgent(Flow flow, Scheduler scheduler, Duration chunkDelay) {
        this.flow = Objects.requireNonNull(flow, "flow");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.chunkDelay = Objects.requireNonNull(chunkDelay, "chunkDelay");
        if (chunkDelay.isNegative()) {
            throw new IllegalArgumentException("chunkDelay must not be negative: " + chunkDelay);
        }
        this.matcher = new FlowMatcher(flow);
    }

    @Override
    public AgentProfile profile() {
        return flow.agent();
    }

    @Override
    public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
        return write(filled(flow.greeting(), conversation), conversation.streaming(), sink, () -> { });
    }

    @Override
    public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
        Intent intent = matcher.match(text).orElse(null);
        if (intent == null) {
            return write(filled(flow.fallback(), conversation), conversation.streaming(), sink, () -> { });
        }
        Runnable action = switch (intent.action()) {
            case NONE -> () -> { };
            case END -> () -> sink.end(EndReason.REASON_NATURAL_END);
            case HANDOFF -> () -> sink.handoff(intent.handoff());
        };
        if (intent.reply() == null) {
            action.run();
            return CompletableFuture.completedFuture(null);
        }
        return write(filled(intent.reply(), conversation), conversation.streaming(), sink, action);
    }

    /** The reply with its {@code {{context.KEY}}} placeholders filled from the verified context. */
    private static Reply filled(Reply reply, Conversation conversation) {
        String text = ContextPlaceholders.fill(reply.text(), conversation.context());
        return text.equals(reply.text()) ? reply : new Reply(text, reply.attachments(), reply.suggestions());
    }

    /**
     * Writes {@code reply} whole or streamed, then runs {@code then} once the message is complete.
     * The returned stage completes when the turn is fully written.
     */
    private CompletionStage<Void> write(Reply reply, boolean streaming, ReplySink sink, Runnable then) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (streaming) {
            stream(reply, WordChunker.split(reply.text(), WORDS_PER_DELTA), 0, sink, then, done);
        } else {
            sink.text(reply.text());
            finish(reply, sink, then, done);
        }
        return done;
    }

    /** Writes deltas from {@code next} on: all of them now without a delay, else one now and a timer for the rest. */
    private void stream(Reply reply, List<String> deltas, int next, ReplySink sink, Runnable then,
                        CompletableFuture<Void> done) {
        for (int i = next; i < deltas.size(); i++) {
            sink.text(deltas.get(i));
            int following = i + 1;
            if (following < deltas.size() && !chunkDelay.isZero()) {
                scheduler.schedule(chunkDelay, () -> resume(reply, deltas, following, sink, then, done));
                return;
            }
        }
        finish(reply, sink, then, done);
    }

    /**
     * Continues a stream on a scheduler thread. A failure there has no caller to reach, so it is
     * reported through the sink with the documented stream error instead of being lost.
     */
    private void resume(Reply reply, List<String> deltas, int next, ReplySink sink, Runnable then,
                        CompletableFuture<Void> done) {
        try {
            stream(reply, deltas, next, sink, then, done);
        } catch (RuntimeException e) {
            sink.fail(ErrorMessages.STREAM_FAILED, e);
            done.complete(null);
        }
    }

    private static void finish(Reply reply, ReplySink sink, Runnable then, CompletableFuture<Void> done) {
        sink.complete(reply.attachments(), reply.suggestions());
        then.run();
        done.complete(null);
    }
}
