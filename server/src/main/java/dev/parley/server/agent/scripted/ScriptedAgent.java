package dev.parley.server.agent.scripted;

import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.ContextPlaceholders;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.MessageOptions;
import dev.parley.server.agent.ReplySink;
import dev.parley.server.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The default AI agent: answers from a {@link Flow}, in the conversation's language when the flow
 * has a translation for it (an intent with {@code language:} switches it first). When the session streams, a reply goes out as
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
        return write(filled(flow.greeting().in(conversation.language()), conversation), false, conversation.streaming(), sink,
                () -> { });
    }

    @Override
    public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
        Intent intent = matcher.match(text).orElse(null);
        String language = conversation.language();
        if (intent == null) {
            return write(filled(flow.fallback().in(language), conversation), false, conversation.streaming(), sink, () -> { });
        }
        if (intent.language() != null) {
            sink.language(intent.language()); // before the reply, which is already in the new language
            language = intent.language();
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
        // The reply before an end is the closing message: it says so (end_conversation) and ends the session.
        boolean closing = intent.action() == Intent.Action.END;
        return write(filled(intent.reply().in(language), conversation), closing, conversation.streaming(), sink, closing ? () -> { } : action);
    }

    /** The reply with its {@code {{context.KEY}}} placeholders filled from the verified context. */
    private static Reply filled(Reply reply, Conversation conversation) {
        String text = ContextPlaceholders.fill(reply.text(), conversation.context());
        return text.equals(reply.text()) ? reply
                : new Reply(text, reply.attachments(), reply.suggestions(), reply.callActions(), reply.endConversation(),
                        reply.translations());
    }

    /**
     * Writes {@code reply} whole or streamed, then runs {@code then} once the message is complete.
     * The returned stage completes when the turn is fully written.
     */
    private CompletionStage<Void> write(Reply reply, boolean closing, boolean streaming, ReplySink sink,
                                        Runnable then) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        MessageOptions options = reply.options(closing);
        if (streaming) {
            stream(reply, options, WordChunker.split(reply.text(), WORDS_PER_DELTA), 0, sink, then, done);
        } else {
            sink.text(reply.text());
            finish(reply, options, sink, then, done);
        }
        return done;
    }

    /** Writes deltas from {@code next} on: all of them now without a delay, else one now and a timer for the rest. */
    private void stream(Reply reply, MessageOptions options, List<String> deltas, int next, ReplySink sink,
                        Runnable then, CompletableFuture<Void> done) {
        for (int i = next; i < deltas.size(); i++) {
            sink.text(deltas.get(i));
            int following = i + 1;
            if (following < deltas.size() && !chunkDelay.isZero()) {
                scheduler.schedule(chunkDelay, () -> resume(reply, options, deltas, following, sink, then, done));
                return;
            }
        }
        finish(reply, options, sink, then, done);
    }

    /**
     * Continues a stream on a scheduler thread. A failure there has no caller to reach, so it is
     * reported through the sink with the documented stream error instead of being lost.
     */
    private void resume(Reply reply, MessageOptions options, List<String> deltas, int next, ReplySink sink,
                        Runnable then, CompletableFuture<Void> done) {
        try {
            stream(reply, options, deltas, next, sink, then, done);
        } catch (RuntimeException e) {
            sink.fail(ErrorMessages.STREAM_FAILED, e);
            done.complete(null);
        }
    }

    private static void finish(Reply reply, MessageOptions options, ReplySink sink, Runnable then,
                               CompletableFuture<Void> done) {
        sink.complete(reply.attachments(), reply.suggestions(), options);
        then.run();
        done.complete(null);
    }
}
