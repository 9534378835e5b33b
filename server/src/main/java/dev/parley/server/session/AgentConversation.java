package dev.parley.server.session;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatCallAction;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.Ids;
import dev.parley.protocol.Suggestion;
import dev.parley.protocol.payload.ClientHandoffRequired;
import dev.parley.protocol.payload.LanguageChanged;
import dev.parley.protocol.payload.PolyAgentLeft;
import dev.parley.protocol.payload.PolyAgentMessage;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.protocol.payload.PolyAgentThinking;
import dev.parley.protocol.payload.PolyAgentTriggeredHandoff;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.HandoffRequest;
import dev.parley.server.agent.LanguageTag;
import dev.parley.server.agent.MessageOptions;
import dev.parley.server.agent.ReplySink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI agent's side of one session: turns, the message being written, and the mapping of agent
 * output onto protocol events (whole messages, or chunks when the session streams, PROTOCOL.md §7).
 * One turn at a time: a user message that arrives while the agent is still answering waits for
 * the next turn, so replies never interleave. Confined to the session's queue.
 */
final class AgentConversation {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConversation.class);

    private final SessionActor actor;
    private final Agent agent;
    private final ArrayDeque<Ask> waitingUserTexts = new ArrayDeque<>();
    /**
     * What the turn being written answers: every output it journals carries it as answers_seq, so a
     * rebuilt actor tells a message that waited behind this turn from one this turn answered.
     */
    private Long answering;
    /** Id of the current turn; sinks of older turns are ignored. */
    private long turn;
    private boolean busy;
    /** The stage of the turn being written, cancelled when an interruptible agent is interrupted. */
    private CompletableFuture<Void> running;
    private OpenMessage open;
    /** A handoff was sent to the desk and its answer is not applied yet (a graceful stop waits for it). */
    private boolean awaitingDesk;

    /**
     * One turn to run: the user's text (null for the greeting) and the sequence of the event it
     * answers (the echo, or the join for the greeting).
     */
    record Ask(String userText, long answersSeq) {
    }

    /** A message being written: its id, chunks sent so far, text so far. */
    private static final class OpenMessage {
        final String messageId;
        final StringBuilder text = new StringBuilder();
        int chunks;

        OpenMessage() {
            this(Ids.messageId(), 0);
        }

        OpenMessage(String messageId, int chunks) {
            this.messageId = messageId;
            this.chunks = chunks;
        }
    }

    AgentConversation(SessionActor actor, Agent agent) {
        this.actor = actor;
        this.agent = agent;
    }

    /** Per connector: an {@code AgentRouter} may give each connector its own agent. */
    AgentProfile profile() {
        return agent.profile(actor.record().connectorId());
    }

    /** @param joinSeq the sequence of the POLY_AGENT_JOINED this greeting follows */
    void greet(long joinSeq, Outbox outbox) {
        stop();
        startTurn(outbox, new Ask(null, joinSeq));
    }

    /** @param echoSeq the sequence of the user message's echo */
    void reply(String userText, long echoSeq, Outbox outbox) {
        Ask ask = new Ask(userText, echoSeq);
        if (busy && agent.interruptible(actor.record().connectorId())) {
            interrupt(outbox);
        }
        if (busy) {
            waitingUserTexts.add(ask);
        } else {
            startTurn(outbox, ask);
        }
    }

    /**
     * Settles what the journal shows the agent still owes, once, when the actor was rebuilt (the
     * node stopped or died mid-turn). A stream cut off half-way is closed first with an empty final
     * chunk of the same message id, so clients stop waiting for it; then the greeting and the user
     * messages nobody answered are asked again as normal turns, in order. An interruptible agent
     * would have cancelled all but the newest, so only the newest is asked again.
     */
    void resume(List<SessionState.HalfStream> halfStreams, List<Ask> owed, Outbox outbox) {
        for (SessionState.HalfStream half : halfStreams) {
            answering = half.answersSeq(); // the closing chunk settles the turn the stream belonged to
            open = new OpenMessage(half.messageId(), half.lastChunk());
            complete(outbox, List.of(), List.of());
        }
        answering = null;
        List<Ask> asks = new ArrayList<>(owed);
        if (asks.isEmpty()) {
            return;
        }
        if (agent.interruptible(actor.record().connectorId())) {
            asks.subList(0, asks.size() - 1).clear();
        }
        LOG.info("session {}: asking the AI agent again for {} unanswered turn(s) after a restart",
                actor.record().id(), asks.size());
        waitingUserTexts.addAll(asks.subList(1, asks.size())); // only the first can be the greeting
        startTurn(outbox, asks.get(0));
    }

    /** True while a turn runs, a user message waits for one, or the desk has yet to answer a handoff. */
    boolean working() {
        return busy || !waitingUserTexts.isEmpty() || awaitingDesk;
    }

    /** Cancels the turn being written: what was streamed is closed, later output of it is dropped. */
    private void interrupt(Outbox outbox) {
        CompletableFuture<Void> stale = running;
        turn++;
        if (open != null) {
            complete(outbox, List.of(), List.of());
        }
        busy = false;
        if (stale != null) {
            stale.cancel(true);
        }
    }

    /** The agent is out of the conversation (handoff, end): later output of its turns is dropped. */
    void stop() {
        turn++;
        busy = false;
        open = null;
        waitingUserTexts.clear();
    }

    private void startTurn(Outbox outbox, Ask ask) {
        long id = ++turn;
        busy = true;
        answering = ask.answersSeq();
        String userText = ask.userText();
        actor.broadcastTransient(outbox, new PolyAgentThinking());
        SessionState state = actor.state();
        var record = actor.record();
        Conversation conversation = new Conversation(record.id(), record.connectorId(), record.platform(),
                record.streaming(), state.transcript(), state.language(), actor.verifiedContext().values());
        TurnSink sink = new TurnSink(id);
        CompletionStage<Void> done;
        try {
            done = userText == null ? agent.greet(conversation, sink) : agent.reply(conversation, userText, sink);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        String failureText = userText == null ? ErrorMessages.AGENT_START_FAILED : ErrorMessages.AGENT_REPLY_FAILED;
        running = done.toCompletableFuture();
        done.whenComplete((ok, failure) -> actor.submitInternal(o -> {
            if (id != turn) {
                return;
            }
            if (failure != null) {
                fail(o, failureText, failure);
            }
            finishTurn(o);
        }));
    }

    private void finishTurn(Outbox outbox) {
        if (open != null) {
            complete(outbox, List.of(), List.of()); // never leave a half-message behind
        }
        busy = false;
        Ask next = waitingUserTexts.poll();
        if (next != null) {
            startTurn(outbox, next);
        }
    }

    private void text(Outbox outbox, String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        if (open == null) {
            open = new OpenMessage();
        }
        open.text.append(delta);
        if (actor.record().streaming()) {
            open.chunks++;
            output(outbox, new PolyAgentMessageChunk(open.messageId, delta, List.of(), List.of(),
                    open.chunks, false));
        }
    }

    private void complete(Outbox outbox, List<Attachment> attachments, List<Suggestion> suggestions) {
        complete(outbox, attachments, suggestions, MessageOptions.NONE);
    }

    /**
     * Closes the open message. The agent's name and avatar and the options are additive extensions
     * (issue 12): on the whole message, or on the final chunk where attachments ride. A closing
     * message ({@code end_conversation}) is followed by the end of the session.
     */
    private void complete(Outbox outbox, List<Attachment> attachments, List<Suggestion> suggestions,
                          MessageOptions options) {
        OpenMessage message = open == null ? new OpenMessage() : open;
        open = null;
        List<Attachment> a = attachments == null ? List.of() : List.copyOf(attachments);
        List<Suggestion> s = suggestions == null ? List.of() : List.copyOf(suggestions);
        AgentProfile profile = profile();
        String name = profile == null ? null : profile.name();
        String avatar = profile == null ? null : profile.avatarUrl();
        List<ChatCallAction> calls = options.callActions().isEmpty() ? null : options.callActions();
        Boolean closing = options.endConversation() ? Boolean.TRUE : null;
        if (actor.record().streaming()) {
            output(outbox, new PolyAgentMessageChunk(message.messageId, "", a, s, message.chunks + 1, true,
                    name, avatar, calls, closing));
        } else {
            output(outbox, new PolyAgentMessage(message.messageId, message.text.toString(), a, s,
                    name, avatar, calls, closing));
        }
        if (options.endConversation()) {
            actor.endSession(outbox, EndReason.REASON_NATURAL_END);
        }
    }

    /** Journals an output of the running turn, marked with what the turn answers. */
    private void output(Outbox outbox, ServerPayload payload) {
        actor.store(outbox, payload, null, null, answering);
    }

    /** Journals a language change; the current language again, or an unusable tag, changes nothing. */
    private void language(Outbox outbox, String languageCode) {
        String tag = LanguageTag.parse(languageCode).orElse(null);
        if (tag == null) {
            LOG.warn("agent in session {} set an unusable language tag; ignored", actor.record().id());
            return;
        }
        if (!tag.equals(actor.state().language())) {
            actor.store(outbox, new LanguageChanged(tag), null, null, null);
        }
    }

    private void handoff(Outbox outbox, HandoffRequest request) {
        if (open != null) {
            complete(outbox, List.of(), List.of());
        }
        output(outbox, new PolyAgentTriggeredHandoff());
        var desk = actor.services().desk();
        if (desk.isEmpty()) {
            // Client-managed handoff, in the documented order (PROTOCOL.md §9.2, §13.28).
            output(outbox, new ClientHandoffRequired(request.reason(), request.queueName(), request.route()));
            output(outbox, new PolyAgentLeft(HandoffTexts.AI_LEFT_FOR_CLIENT_ROUTE));
            stop();
            return;
        }
        // Server-managed (§9.1): the AI leaves first, then the desk answers with accepted or failed.
        output(outbox, new PolyAgentLeft(HandoffTexts.AI_LEFT_FOR_LIVE_AGENT));
        stop();
        var record = actor.record();
        awaitingDesk = true;
        desk.get().enqueue(record.id(), record.connectorId(), request.queueName())
                .whenComplete((result, failure) -> actor.submitInternal(o -> {
                    awaitingDesk = false;
                    actor.handoffAnswered(o, result, failure);
                }));
    }

    private void end(Outbox outbox, EndReason reason) {
        if (open != null) {
            complete(outbox, List.of(), List.of());
        }
        actor.endSession(outbox, reason);
    }

    private void fail(Outbox outbox, String userMessage, Throwable cause) {
        LOG.error("agent failed in session {}: {}", actor.record().id(), userMessage, cause);
        boolean streamed = open != null && open.chunks > 0;
        if (streamed) {
            complete(outbox, List.of(), List.of());
        }
        open = null;
        String message = streamed ? ErrorMessages.STREAM_FAILED : userMessage;
        output(outbox, SystemMessage.error(message, "the AI agent failed"));
    }

    /** The sink handed to one turn: every call becomes a task of the session, dropped if stale. */
    private final class TurnSink implements ReplySink {
        private final long id;

        TurnSink(long id) {
            this.id = id;
        }

        private void apply(Consumer<Outbox> work) {
            actor.submitInternal(outbox -> {
                if (id == turn && !actor.state().ended()) {
                    work.accept(outbox);
                }
            });
        }

        @Override
        public void text(String delta) {
            apply(o -> AgentConversation.this.text(o, delta));
        }

        @Override
        public void complete(List<Attachment> attachments, List<Suggestion> suggestions) {
            apply(o -> AgentConversation.this.complete(o, attachments, suggestions));
        }

        @Override
        public void language(String languageCode) {
            apply(o -> AgentConversation.this.language(o, languageCode));
        }

        @Override
        public void complete(List<Attachment> attachments, List<Suggestion> suggestions, MessageOptions options) {
            apply(o -> AgentConversation.this.complete(o, attachments, suggestions,
                    options == null ? MessageOptions.NONE : options));
        }

        @Override
        public void handoff(HandoffRequest request) {
            apply(o -> AgentConversation.this.handoff(o, request));
        }

        @Override
        public void end(EndReason reason) {
            apply(o -> AgentConversation.this.end(o, reason));
        }

        @Override
        public void fail(String userMessage, Throwable cause) {
            apply(o -> AgentConversation.this.fail(o, userMessage, cause));
        }
    }
}
