package dev.parley.server.session;

import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.Ids;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.client.ClientEvent;
import dev.parley.protocol.client.Heartbeat;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserEndSession;
import dev.parley.protocol.client.UserMessage;
import dev.parley.protocol.client.UserTyping;
import dev.parley.protocol.codec.Decoded;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.LiveAgent;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.payload.HandoffAccepted;
import dev.parley.protocol.payload.HandoffFailed;
import dev.parley.protocol.payload.HandoffQueueStatus;
import dev.parley.protocol.payload.HandoffTimeout;
import dev.parley.protocol.payload.HeartbeatEcho;
import dev.parley.protocol.payload.LiveAgentJoined;
import dev.parley.protocol.payload.LiveAgentLeft;
import dev.parley.protocol.payload.LiveAgentMessage;
import dev.parley.protocol.payload.LiveAgentTyping;
import dev.parley.server.desk.EnqueueResult;
import dev.parley.server.desk.LiveAgentDesk;
import dev.parley.protocol.payload.PolyAgentJoined;
import dev.parley.protocol.payload.RequestAgentJoinEcho;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SessionEnd;
import dev.parley.protocol.payload.SessionIdleWarning;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.protocol.SystemLevel;
import dev.parley.protocol.payload.UserEndSessionEcho;
import dev.parley.protocol.payload.UserMessageEcho;
import dev.parley.server.store.ContextStore;
import dev.parley.server.store.FencedException;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredContext;
import dev.parley.server.store.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live session: every client frame, agent output and timer of the session runs here, one at a
 * time (ARCHITECTURE.md rule 1). Each task fills an {@link Outbox}; stored events get the next
 * sequence, are journaled, and only then are frames delivered (rule 2). Because the next task waits
 * for that, echo order, replay boundaries and state transitions need no further locking.
 *
 * <p>Public methods are thread-safe and never block. Fields below the queue are confined to it.
 */
public final class SessionActor implements SessionEndpoint, ContextTarget {
    private static final Logger LOG = LoggerFactory.getLogger(SessionActor.class);
    /** Journal rows read per query while replaying. */
    private static final int REPLAY_PAGE = 500;
    static final String RESTARTING = "server restarting";
    /** The close reason of a deposed actor's sockets (1012): the session is driven by another node now. */
    public static final String MOVED = "session moved to another node, reconnect";

    private final SessionRecord record;
    private final SessionServices services;
    private final SerialQueue queue;
    private final AtomicInteger reservedConnections = new AtomicInteger();
    private final SessionSettings.Throttle throttle;
    private final AgentConversation agent;
    private final ContextStore contexts;
    /** From SESSION_START; never changes, so any thread may read it. */
    private final String contextId;
    /** Set when the session ended; the actor then only replays. */
    private volatile boolean ended;
    /** Set when the journal failed; the actor must be dropped and rebuilt (see journalFailed). */
    private volatile boolean broken;
    /** Set when the node stops (see closeForRestart); the actor then does nothing more. */
    private volatile boolean stopped;
    /** Set when the session's lease moved to a newer epoch (see deposed); implies stopped. */
    private volatile boolean deposed;
    /** The lease epoch every append of this actor carries (issue 11); 0 on a single node. */
    private final long epoch;
    /** Tells followers on other nodes about each delivery. */
    private final Doorbell doorbell;
    /** Counts this actor's deposition (metrics). */
    private final Runnable onDeposed;
    /** Completed once a graceful stop closed the session's sockets (or the journal failed under it). */
    private final CompletableFuture<Void> restartClosed = new CompletableFuture<>();
    /**
     * The user sockets attached right now, kept beside lastFrameAt for closeNowForRestart, which
     * must reach them from outside the queue when a session's task is stuck. Changed inside the
     * queue, read from any thread.
     */
    private final Set<Connection> attached = ConcurrentHashMap.newKeySet();

    // Confined to the queue.
    private final SessionState state;
    private final Map<Connection, Instant> lastFrameAt = new LinkedHashMap<>();
    /** Live-agent desks following this conversation: they see every event, and the user's typing. */
    private final Set<Connection> observers = new LinkedHashSet<>();
    /**
     * User sockets still replaying history (also in lastFrameAt): broadcasts skip them, since every
     * stored event is in the journal their pump reads, and transient ones may be dropped; answers
     * meant for them alone wait in their pump until the replay before them is out.
     */
    private final Map<Connection, ReplayPump> catchingUp = new LinkedHashMap<>();
    private Instant lastClientActivity;
    /** The lastClientActivity an idle warning was sent for: one warning per quiet spell. */
    private Instant idleWarnedFor;
    /** A graceful stop began: the session drains its agent turns, then closes (see closeForRestart). */
    private boolean restarting;
    /** The last verified context (agents read it when a turn starts); replaced whole, never merged. */
    private VerifiedContext verifiedContext;
    /**
     * On several nodes a context may be submitted through another node, which stores it directly
     * (issue 11): the context is then read from the store before every agent turn.
     */
    private final boolean contextSharedWithOtherNodes;

    SessionActor(SessionRecord record, SessionState state, SessionServices services, Instant lastClientActivity,
                 VerifiedContext verifiedContext, ContextStore contexts, long epoch, Doorbell doorbell,
                 Runnable onDeposed) {
        this.contextSharedWithOtherNodes = doorbell != Doorbell.NONE; // a doorbell rings only for other nodes
        this.epoch = epoch;
        this.onDeposed = onDeposed;
        this.doorbell = doorbell;
        this.record = record;
        this.verifiedContext = verifiedContext;
        this.contexts = contexts;
        this.contextId = state.contextId();
        this.state = state;
        this.services = services;
        this.queue = new SerialQueue(services.executor(), services.settings().queueCapacity());
        this.throttle = services.settings().throttles().get();
        this.lastClientActivity = lastClientActivity;
        this.ended = state.ended();
        this.agent = new AgentConversation(this, services.agent());
    }

    public SessionRecord record() {
        return record;
    }

    /** The id verified-context tokens of this session must carry as {@code sub}; null in old sessions. */
    public String contextId() {
        return contextId;
    }

    /**
     * Replaces the session's verified context with {@code context} (last write wins: a refresh
     * drops every key of the one before), durably, before the next agent turn starts. The stage
     * completes with false, and changes nothing, when the session has ended; it fails when the
     * session's queue is full or the store refused the write.
     */
    public CompletionStage<Boolean> replaceContext(VerifiedContext context) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        boolean queued = queue.offer(() -> {
            if (ended || stopped || broken) {
                done.complete(false);
            } else {
                try {
                    contexts.saveSessionContext(new StoredContext(record.id(), context.json(), context.keyId(),
                            context.verifiedAt()));
                    verifiedContext = context;
                    done.complete(true);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }
            return CompletableFuture.completedFuture(null);
        });
        if (!queued) {
            done.completeExceptionally(new IllegalStateException("session queue full"));
        }
        return done;
    }

    /** The session ended: this actor only replays history now. */
    public boolean isEnded() {
        return ended;
    }

    /**
     * The journal failed under this actor, or its lease moved on: it must be dropped (and, on the
     * owner, replaced by one rebuilt from the store).
     */
    public boolean isBroken() {
        return broken || deposed;
    }

    /** Another node (or a newer actor) owns the session now: this actor sends and stores nothing more. */
    public boolean isDeposed() {
        return deposed;
    }

    /** The lease epoch this actor writes with. */
    public long epoch() {
        return epoch;
    }

    /** Neither stopping nor dropped: its lease is worth renewing. */
    public boolean isActive() {
        return !stopped && !broken;
    }

    /** True while any connection holds or claims a slot. */
    public boolean hasConnections() {
        return reservedConnections.get() > 0;
    }

    // ---- connections -------------------------------------------------------------------------

    /** Claims one of the session's connection slots (PROTOCOL.md §3.3); false when all are taken. */
    public boolean tryReserveConnection() {
        while (true) {
            int current = reservedConnections.get();
            if (current >= services.settings().maxConnections()) {
                return false;
            }
            if (reservedConnections.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot whose upgrade did not happen. */
    public void releaseReservation() {
        reservedConnections.decrementAndGet();
    }

    /**
     * Replays the journal after {@code cursor} to the new connection and adds it to the live
     * audience. Up to one page of history is sent from this task. A longer one is paged: the
     * connection joins the audience as catching up and a {@link ReplayPump} reads the journal; the pump pages through it as fast as the socket reads, and the
     * hand-over to live delivery happens in a task of this actor ({@link #finishReplay}), so no
     * event falls between replay and live delivery and none is sent twice (ARCHITECTURE.md rule 4)
     * while the actor is never blocked by a long replay.
     */
    public void attach(Connection connection, long cursor) {
        queue.submit(() -> {
            if (broken) {
                connection.close(CloseCodes.INTERNAL_ERROR, "session unavailable, reconnect");
                return;
            }
            if (stopped) {
                connection.close(CloseCodes.SERVICE_RESTART, RESTARTING);
                return;
            }
            Instant now = now();
            if (state.head() - Math.max(0, cursor) <= ReplayPump.PAGE) {
                // A short history (the usual reconnect) is sent from this task, as one page: the
                // connection is live at once and frames stored next reach it live.
                replayTo(connection, cursor, now);
                if (state.ended()) {
                    connection.close(CloseCodes.NORMAL, "session ended"); // §13.9
                    return;
                }
                lastFrameAt.put(connection, now);
                attached.add(connection);
                lastClientActivity = now;
                return;
            }
            ReplayPump pump = new ReplayPump(connection, record.id(), cursor, services.events(), services.executor(),
                    this::now, this::finishReplay);
            catchingUp.put(connection, pump);
            lastFrameAt.put(connection, now);
            attached.add(connection);
            if (!state.ended()) {
                lastClientActivity = now;
            }
            pump.resume();
        });
    }

    /**
     * The pump found the journal's end: in this task nothing else is stored, so the little that may
     * have been stored since (at most a page; otherwise paging goes on) is sent from here, then the
     * answers held during catch-up, and the connection is live. An ended session closes it (§13.9).
     */
    private void finishReplay(ReplayPump pump) {
        queue.submit(() -> {
            Connection connection = pump.connection();
            if (stopped || broken || pump.isCancelled() || catchingUp.get(connection) != pump) {
                return;
            }
            if (state.head() - pump.after() > ReplayPump.PAGE) {
                pump.resume(); // much was stored meanwhile: keep paging with back-pressure
                return;
            }
            List<String> rest = services.events().readAfter(record.id(), pump.after(), ReplayPump.PAGE)
                    .stream().map(StoredEvent::json).toList();
            if (!rest.isEmpty() || !pump.sentAny()) {
                ReplayBatches.frames(rest, now()).forEach(connection::send); // §13.4: at least one batch
            }
            pump.heldAnswers.forEach(connection::send);
            catchingUp.remove(connection);
            if (!attached.contains(connection)) {
                // A desk observer: live from here on, or, the session having ended, done following.
                if (state.ended()) {
                    observers.remove(connection);
                    connection.close(CloseCodes.NORMAL, "session ended");
                }
                return;
            }
            if (state.ended()) {
                lastFrameAt.remove(connection);
                connection.close(CloseCodes.NORMAL, "session ended"); // §13.9
            }
        });
    }

    /** Sends the journal after {@code cursor} as replay batches; runs inside a queue task. */
    private void replayTo(Connection connection, long cursor, Instant now) {
        List<String> history = new ArrayList<>();
        long after = Math.max(0, cursor);
        while (true) {
            List<StoredEvent> page = services.events().readAfter(record.id(), after, REPLAY_PAGE);
            page.forEach(e -> history.add(e.json()));
            if (page.size() < REPLAY_PAGE) {
                break;
            }
            after = page.get(page.size() - 1).sequence();
        }
        ReplayBatches.frames(history, now).forEach(connection::send);
    }

    /** The connection closed; frees its slot. */
    public void detach(Connection connection) {
        queue.submit(() -> {
            lastFrameAt.remove(connection);
            attached.remove(connection);
            ReplayPump pump = catchingUp.remove(connection);
            if (pump != null) {
                pump.cancel();
            }
            reservedConnections.decrementAndGet();
        });
    }

    /**
     * Closes every user socket of the session, e.g. because its connector was revoked. The session
     * itself goes on (it ends by inactivity like any other); desks following it stay.
     */
    public void closeConnections(int code, String reason) {
        queue.submit(() -> {
            List.copyOf(lastFrameAt.keySet()).forEach(c -> c.close(code, reason));
            lastFrameAt.clear();
            stopReplays();
        });
    }

    // ---- client frames -----------------------------------------------------------------------

    /** A decoded client event from {@code from}. */
    public void receive(Connection from, ClientEvent event) {
        offer(from, event.metadata(), outbox -> handle(from, event, outbox));
    }

    /** A frame that failed validation: answer with the error, store nothing (PROTOCOL.md §11.1). */
    public void reject(Connection from, Decoded.Rejected rejected) {
        offer(from, rejected.metadata(), outbox -> {
            noteActivity(from);
            if (!throttle.tryAcquire()) {
                return; // a flood of bad frames is dropped unanswered: answering would amplify it
            }
            errorTo(outbox, from, rejected.message(), rejected.detail(), rejected.metadata());
        });
    }

    private void offer(Connection from, RawJson metadata, Consumer<Outbox> work) {
        boolean accepted = queue.offer(() -> run(outbox -> {
            if (broken) {
                from.close(CloseCodes.INTERNAL_ERROR, "session unavailable, reconnect");
            } else if (state.ended()) {
                // §3.7, §13.9: nothing follows SESSION_END. Frames that were already on their way
                // (a resent end, a heartbeat) are ignored rather than answered on a closing socket.
                return;
            } else {
                work.accept(outbox);
            }
        }));
        if (!accepted) {
            // The session is flooded: answer at once, outside the queue, and drop the frame.
            from.send(encode(null, SystemMessage.error(ErrorMessages.HIGH_LOAD, "too many frames waiting"), metadata));
        }
    }

    private void handle(Connection from, ClientEvent event, Outbox outbox) {
        noteActivity(from);
        if (!throttle.tryAcquire()) {
            outbox.sendTo(from, encode(null, SystemMessage.warning(
                    "Rate limit exceeded: the event was dropped", "slow down and resend"), event.metadata()));
            return;
        }
        if (event instanceof Heartbeat) {
            // §13.2: fresh id, no sequence, not journaled; to the sender only.
            outbox.sendTo(from, encode(null, new HeartbeatEcho(), event.metadata()));
            return;
        }
        if (event instanceof UserTyping typing) {
            if (state.handoff() == HandoffPhase.LIVE) { // §13.27: only a live agent cares
                String frame = UserTypingFrame.encode(typing.state(), now());
                observers.forEach(o -> outbox.sendTo(o, frame));
                if (contextSharedWithOtherNodes) {
                    outbox.toObserversElsewhere(frame); // a desk may follow from another node (issue 11)
                }
            }
            return;
        }
        String resent = event.clientEventId().map(state::echoOf).orElse(null);
        if (resent != null) {
            outbox.sendTo(from, resent); // §13.5: same id, sequence and message id; sender only.
            return;
        }
        if (restarting) {
            // Draining for a graceful stop: nothing new is stored, so the client's resend (same
            // client_event_id) after it reconnected is processed normally by the next node.
            errorTo(outbox, from, ErrorMessages.HIGH_LOAD, "the server is restarting; resend after reconnecting",
                    event.metadata());
            return;
        }
        if (!services.journal().reachable()) {
            // The store is down (no echo without durability): refused before anything changes, as
            // for a full journal below, and the socket stays open; the resend goes through once it is back.
            errorTo(outbox, from, ErrorMessages.HIGH_LOAD, "the store is unreachable; resend in a moment",
                    event.metadata());
            return;
        }
        if (!services.journal().hasRoom()) {
            // The journal is saturated. Refused before anything changes — no sequence taken, no
            // echo, no agent turn — so the client's resend (same client_event_id) is processed
            // normally once there is room. The socket stays open: load is not a failure (§11.2).
            errorTo(outbox, from, ErrorMessages.HIGH_LOAD, "the journal is busy; resend in a moment", event.metadata());
            return;
        }
        if (event instanceof UserMessage message) {
            onUserMessage(from, message, outbox);
        } else if (event instanceof RequestAgentJoin join) {
            store(outbox, new RequestAgentJoinEcho(), join.metadata(), join.clientEventId().orElse(null));
            if (state.phase() != AgentPhase.JOINED) {
                StoredEvent joined = store(outbox, new PolyAgentJoined(agent.profile().name(),
                        agent.profile().avatarUrl()), null, null);
                agent.greet(joined.sequence(), outbox);
            }
        } else if (event instanceof UserEndSession end) {
            store(outbox, new UserEndSessionEcho(), end.metadata(), end.clientEventId().orElse(null));
            endSession(outbox, EndReason.REASON_USER_END);
        }
    }

    private void onUserMessage(Connection from, UserMessage message, Outbox outbox) {
        boolean aiListens = state.phase() == AgentPhase.JOINED;
        if (!aiListens && state.handoff() == HandoffPhase.NONE) {
            errorTo(outbox, from, ErrorMessages.CONVERSATION_NOT_FOUND,
                    "send EVENT_TYPE_REQUEST_POLY_AGENT_JOIN first", message.metadata()); // §13.7
            return;
        }
        // During a handoff the echo itself is the delivery: desks following the session receive it.
        StoredEvent echo = store(outbox, new UserMessageEcho(message.text(), Ids.messageId()), message.metadata(),
                message.clientEventId().orElse(null));
        if (aiListens) {
            agent.reply(message.text(), echo.sequence(), outbox);
        }
    }

    // ---- live-agent desk ----------------------------------------------------------------------

    /**
     * A desk follows this conversation: history after {@code cursor}, then every event live. A long
     * history is paged with back-pressure as for a user socket ({@link #attach}): the desk joins the
     * observers as catching up, live events skip it until {@link #finishReplay} hands it over.
     */
    @Override
    public void attachObserver(Connection desk, long cursor) {
        queue.submit(() -> {
            if (stopped) {
                return; // the desk's own socket is being closed with 1012
            }
            if (state.head() - Math.max(0, cursor) <= ReplayPump.PAGE) {
                replayTo(desk, cursor, now());
                if (!state.ended()) {
                    observers.add(desk);
                }
                return;
            }
            ReplayPump pump = new ReplayPump(desk, record.id(), cursor, services.events(), services.executor(),
                    this::now, this::finishReplay);
            catchingUp.put(desk, pump);
            if (!state.ended()) {
                observers.add(desk);
            }
            pump.resume();
        });
    }

    @Override
    public void detachObserver(Connection desk) {
        queue.submit(() -> {
            observers.remove(desk);
            ReplayPump pump = catchingUp.remove(desk);
            if (pump != null) {
                pump.cancel();
            }
        });
    }

    /** The desk's answer to this session's handoff request. */
    void handoffAnswered(Outbox outbox, EnqueueResult result, Throwable failure) {
        if (state.ended()) {
            return;
        }
        if (result instanceof EnqueueResult.Queued queued) {
            store(outbox, new HandoffAccepted(queued.queue()), null, null);
            store(outbox, queueStatus(queued.queue(), queued.position(), queued.estimatedWaitSeconds()), null, null);
            outbox.then(() -> services.desk().ifPresent(d -> d.accepted(record.id())));
        } else if (result instanceof EnqueueResult.OutOfHours closed) {
            // Nobody is waited for: HANDOFF_FAILED says when the team is back, then an info message
            // opens the offline conversation (user messages are echoed and kept for the desk).
            store(outbox, new HandoffFailed(OutOfHoursTexts.backAt(state.language(), closed.backAt(), now())), null, null);
            store(outbox, new SystemMessage(SystemLevel.SYSTEM_MESSAGE_LEVEL_INFO,
                    OutOfHoursTexts.leaveAMessage(state.language(), closed.closedMessage()),
                    OutOfHoursTexts.OFFLINE_DETAIL), null, null);
        } else {
            String reason = failure != null ? "desk unavailable" : ((EnqueueResult.Refused) result).reason();
            LOG.warn("handoff of session {} refused: {}", record.id(), reason);
            store(outbox, new HandoffFailed(HandoffTexts.HANDOFF_REFUSED), null, null);
        }
    }

    private static HandoffQueueStatus queueStatus(String queueName, int position, int estimatedWaitSeconds) {
        return new HandoffQueueStatus(queueName, position, estimatedWaitSeconds,
                HandoffTexts.queueStatus(queueName, position, estimatedWaitSeconds));
    }

    /** Desk commands; each is ignored when the conversation is no longer in that state. */
    public void deskQueueStatus(String queueName, int position, int estimatedWaitSeconds) {
        whenInHandoff(o -> store(o, queueStatus(queueName, position, estimatedWaitSeconds), null, null));
    }

    public void deskAgentJoined(LiveAgent agent) {
        whenInHandoff(o -> store(o, new LiveAgentJoined(agent), null, null));
    }

    public void deskAgentFinished() {
        whenLive(null, o -> {
            LiveAgent agent = state.liveAgent();
            store(o, new LiveAgentLeft(agent == null ? null : agent.id(), agent == null ? null : agent.name(),
                    HandoffTexts.LIVE_AGENT_FINISHED), null, null);
            endSession(o, EndReason.REASON_NATURAL_END); // §13.14
        });
    }

    public void deskTimedOut() {
        whenInHandoff(o -> store(o, new HandoffTimeout(HandoffTexts.WAITED_TOO_LONG), null, null));
    }

    public void deskFailed() {
        whenInHandoff(o -> store(o, new HandoffFailed(HandoffTexts.QUEUE_CLOSED), null, null));
    }

    /** A message from the live agent {@code agentId}; dropped unless that agent holds the conversation. */
    public void liveAgentMessage(String agentId, String text) {
        whenLive(agentId, o -> {
            LiveAgent agent = state.liveAgent();
            store(o, new LiveAgentMessage(Ids.messageId(), agentId, text, List.of(), List.of(),
                    agent == null ? null : agent.name(), agent == null ? null : agent.avatarUrl()), null, null);
        });
    }

    /** The live agent types: transient, like the AI's thinking (§13.1). */
    public void liveAgentTyping(String agentId, TypingState typing) {
        whenLive(agentId, o -> {
            LiveAgent agent = state.liveAgent();
            broadcastTransient(o, new LiveAgentTyping(typing, agentId,
                    agent == null ? null : agent.name(), agent == null ? null : agent.avatarUrl()));
        });
    }

    private void whenInHandoff(Consumer<Outbox> work) {
        submitInternal(o -> {
            HandoffPhase phase = state.handoff();
            if (!state.ended() && (phase == HandoffPhase.QUEUED || phase == HandoffPhase.LIVE)) {
                work.accept(o);
            }
        });
    }

    private void whenLive(String agentId, Consumer<Outbox> work) {
        submitInternal(o -> {
            if (!state.ended() && state.handoff() == HandoffPhase.LIVE
                    && (agentId == null || agentId.equals(state.liveAgentId()))) {
                work.accept(o);
            }
        });
    }

    // ---- timers ------------------------------------------------------------------------------

    /**
     * Closes connections idle past the idle timeout (§3.5) and ends the session with
     * {@code REASON_USER_ABANDONED} after the inactivity timeout (§13.13).
     */
    public void checkTimers() {
        queue.submit(() -> run(outbox -> {
            Instant now = now();
            if (state.ended()) {
                return;
            }
            Instant endsAt = lastClientActivity.plus(services.settings().inactivityTimeout());
            if (!endsAt.isAfter(now)) {
                endSession(outbox, EndReason.REASON_USER_ABANDONED); // tells open sockets, then closes them
                return;
            }
            warnIfIdle(outbox, now, endsAt);
            Duration idle = services.settings().idleTimeout();
            for (Map.Entry<Connection, Instant> entry : List.copyOf(lastFrameAt.entrySet())) {
                if (!entry.getValue().plus(idle).isAfter(now)) {
                    lastFrameAt.remove(entry.getKey());
                    ReplayPump pump = catchingUp.remove(entry.getKey());
                    if (pump != null) {
                        pump.cancel();
                    }
                    entry.getKey().close(CloseCodes.GOING_AWAY, "idle timeout");
                }
            }
        }));
    }

    /**
     * Tells the open sockets (and desks following) that the session will end as abandoned, once per
     * quiet spell: any client frame moves lastClientActivity, so a later spell is warned again.
     * Transient, never journaled: a client that reconnects has thereby been active, which voids the
     * warning, and a rebuilt actor starts a fresh inactivity window (docs/design.md).
     */
    private void warnIfIdle(Outbox outbox, Instant now, Instant endsAt) {
        SessionSettings settings = services.settings();
        if (!settings.warnsBeforeAbandoning() || lastClientActivity.equals(idleWarnedFor)
                || endsAt.minus(settings.idleWarning()).isAfter(now)) {
            return;
        }
        idleWarnedFor = lastClientActivity;
        long secondsLeft = Math.max(0, Duration.between(now, endsAt).toSeconds());
        broadcastTransient(outbox, new SessionIdleWarning(secondsLeft, Timestamps.format(endsAt)));
    }

    // ---- node lifecycle ----------------------------------------------------------------------

    /**
     * The node is stopping gracefully. Runs after every task already queued, so what was accepted
     * is journaled and its echoes are handed to the sockets first. If the AI agent is still answering
     * (an LLM or webhook call, a stream with a chunk delay, a message waiting for its turn, a handoff
     * waiting for the desk), the session drains: it refuses new client events with "high load" and
     * waits until the agent is done and its output is journaled and delivered, or until
     * {@link #endRestartGrace}. Then it closes the session's sockets with 1012 (clients reconnect, to
     * this node once restarted or to another, and resume from their cursor) and makes every later
     * task a no-op, so nothing more is journaled. A turn cut off here is asked again by the next
     * actor of the session ({@link #resumeAgent}). Idempotent.
     *
     * @return completes once the sockets were told to close
     */
    public CompletionStage<Void> closeForRestart() {
        queue.submit(() -> {
            restarting = true;
            if (stopped || broken || !agent.working()) {
                finishRestart();
            }
        });
        return restartClosed;
    }

    /** The grace of a graceful stop is over: a session still draining closes now, cutting its turn off. */
    public void endRestartGrace() {
        queue.submit(() -> {
            if (restarting) {
                finishRestart();
            }
        });
    }

    private void finishRestart() {
        stopped = true;
        agent.stop();
        List.copyOf(lastFrameAt.keySet()).forEach(c -> c.close(CloseCodes.SERVICE_RESTART, RESTARTING));
        lastFrameAt.clear();
        stopReplays();
        restartClosed.complete(null);
    }

    /**
     * Called once on a freshly rebuilt actor: settles what the journal shows the AI agent still
     * owes, because the last node stopped or died between an echo and its reply (the brief: each
     * user message is answered exactly once, and an echo means it is stored). A half-written stream
     * is closed, then the unanswered turn is asked again. Completed turns are recognised from the
     * journal (see {@link UnansweredTurns}), and this runs once per rebuild, so nothing is answered
     * twice. Nothing is asked when the session is about to end by inactivity anyway.
     */
    void resumeAgent() {
        submitInternal(outbox -> {
            if (state.ended()) {
                return;
            }
            UnansweredTurns owed = state.unanswered();
            boolean active = lastClientActivity.plus(services.settings().inactivityTimeout()).isAfter(now());
            boolean ask = active && state.phase() == AgentPhase.JOINED; // as in onUserMessage
            agent.resume(state.halfStreams(), ask ? owed.asks() : List.of(), outbox);
        });
    }

    /**
     * The last resort of a graceful stop, for a session whose queue did not reach
     * {@link #closeForRestart} in time (say its task waits on a stuck disk): closes its sockets with
     * 1012 from the calling thread. Echoes still waiting for the journal are not sent; clients
     * resend those events by client_event_id.
     */
    public void closeNowForRestart() {
        stopped = true;
        List.copyOf(attached).forEach(c -> c.close(CloseCodes.SERVICE_RESTART, RESTARTING));
    }

    // ---- erasure (issue 14) --------------------------------------------------------------------

    /** The close reason of sockets whose conversation an operator erased. */
    public static final String ERASED = "session erased";

    /**
     * An operator erases the conversation on this node: if it is still open it ends first
     * ({@code SESSION_END} journaled and delivered, sockets closed with 1000, the desk told), then
     * the actor stops for good ({@link #stopErased}), so nothing more is journaled for it while
     * its content is deleted. Completes when that is done, also when the end could not be
     * journaled (the erasure deletes everything anyway).
     */
    public CompletionStage<Void> endForErasure() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.submit(() -> run(outbox -> {
            if (!state.ended()) {
                endSession(outbox, EndReason.REASON_NATURAL_END);
            }
        }).whenComplete((ok, failure) -> {
            stopNow();
            done.complete(null);
        }));
        return done;
    }

    /**
     * The conversation was erased (here after {@link #endForErasure}, or elsewhere: another node,
     * the admin CLI): every later task is dropped and the sockets still open close with 1008, a
     * code the clients do not reconnect on. Its content is gone from the store, so none is kept here.
     */
    public void stopErased() {
        stopped = true;
        queue.submit(this::stopNow);
    }

    private void stopNow() {
        stopped = true;
        agent.stop();
        List.copyOf(lastFrameAt.keySet()).forEach(c -> c.close(CloseCodes.POLICY_VIOLATION, ERASED));
        lastFrameAt.clear();
        List.copyOf(observers).forEach(c -> c.close(CloseCodes.POLICY_VIOLATION, ERASED));
        observers.clear();
        stopReplays();
        restartClosed.complete(null);
    }

    // ---- used by AgentConversation (always from inside a queue task) -------------------------

    void submitInternal(Consumer<Outbox> work) {
        queue.submit(() -> run(work));
    }

    /** Confined to the queue, like the state. On several nodes read from the store (one row by key). */
    VerifiedContext verifiedContext() {
        if (contextSharedWithOtherNodes) {
            try {
                verifiedContext = contexts.findSessionContext(record.id()).map(VerifiedContext::fromStored)
                        .orElse(verifiedContext);
            } catch (RuntimeException e) {
                // The store is unreachable: the turn goes on with the context last read (fails open, as the route).
            }
        }
        return verifiedContext;
    }

    SessionState state() {
        return state;
    }

    SessionServices services() {
        return services;
    }

    StoredEvent store(Outbox outbox, ServerPayload payload, RawJson metadata, String clientEventId) {
        return store(outbox, payload, metadata, clientEventId, null);
    }

    /**
     * Journals and applies one event.
     *
     * @param answersSeq for AI agent output, the sequence of the event its turn answers (journal-only,
     *                   never encoded into the frame); null otherwise
     */
    StoredEvent store(Outbox outbox, ServerPayload payload, RawJson metadata, String clientEventId, Long answersSeq) {
        long sequence = state.nextSequence();
        Instant now = now();
        String id = Ids.eventId();
        String json = ServerEventEncoder.encode(new ServerEvent(id, sequence, now, payload, metadata));
        StoredEvent event = new StoredEvent(record.id(), sequence, id, payload.type(), now, json, clientEventId,
                answersSeq);
        state.apply(event, payload);
        outbox.store(event);
        return event;
    }

    void broadcastTransient(Outbox outbox, ServerPayload payload) {
        outbox.broadcast(encode(null, payload, null));
    }

    void endSession(Outbox outbox, EndReason reason) {
        boolean inHandoff = state.handoff() != HandoffPhase.NONE;
        store(outbox, new SessionEnd(reason), null, null);
        agent.stop();
        ended = true;
        outbox.then(() -> {
            // Sockets still catching up are closed by finishReplay, after the replay reaches SESSION_END.
            List.copyOf(lastFrameAt.keySet()).stream().filter(c -> !catchingUp.containsKey(c))
                    .forEach(c -> {
                        lastFrameAt.remove(c);
                        c.close(CloseCodes.NORMAL, "session ended");
                    });
            // A desk still catching up gets the rest of the history (SESSION_END included) from its pump.
            List.copyOf(observers).stream().filter(c -> !catchingUp.containsKey(c))
                    .forEach(c -> c.close(CloseCodes.NORMAL, "session ended"));
            observers.clear();
            if (inHandoff) {
                services.desk().ifPresent(d -> d.sessionEnded(record.id()));
            }
        });
    }

    // ---- task plumbing -----------------------------------------------------------------------

    private CompletionStage<Void> run(Consumer<Outbox> work) {
        if (stopped) {
            return CompletableFuture.completedFuture(null); // late frames, agent output, timers: dropped
        }
        Outbox outbox = new Outbox();
        work.accept(outbox);
        if (restarting && !agent.working()) {
            outbox.then(this::finishRestart); // drained: close once this task's frames are out
        }
        if (outbox.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (outbox.toStore().isEmpty()) {
            deliver(outbox);
            return CompletableFuture.completedFuture(null);
        }
        // The task's events are already folded into the state (head, transcript, phase), so they
        // must be written: a full queue makes them wait, it does not fail them. (Client events that
        // would store were refused up front when there was no room, see handle.)
        return services.journal().appendWhenRoom(record.id(), epoch, outbox.toStore())
                .handleAsync((ok, failure) -> {
                    if (failure != null && rootOf(failure) instanceof FencedException) {
                        deposed();
                    } else if (failure != null) {
                        journalFailed(failure);
                    } else {
                        deliver(outbox);
                    }
                    return null;
                }, services.executor());
    }

    private void deliver(Outbox outbox) {
        List<String> transients = new ArrayList<>();
        for (Outbox.Delivery delivery : outbox.deliveries()) {
            if (delivery.only() == null && !delivery.stored()) {
                transients.add(delivery.frame());
            }
            if (delivery.only() != null) {
                ReplayPump pump = catchingUp.get(delivery.only());
                if (pump != null) {
                    pump.heldAnswers.add(delivery.frame()); // after the replay that precedes it
                } else {
                    delivery.only().send(delivery.frame());
                }
            } else {
                for (Connection c : lastFrameAt.keySet()) {
                    if (!catchingUp.containsKey(c)) {
                        c.send(delivery.frame());
                    }
                }
                for (Connection c : observers) {
                    if (!catchingUp.containsKey(c)) {
                        c.send(delivery.frame());
                    }
                }
            }
        }
        if (!outbox.toStore().isEmpty() || !transients.isEmpty() || !outbox.observersElsewhere().isEmpty()) {
            doorbell.ring(record.id(), state.head(), outbox.toStore().size(), transients,
                    outbox.observersElsewhere()); // committed: followers may read it now
        }
        outbox.afterDelivery().forEach(Runnable::run);
    }

    /**
     * The journal failed a write (the store refused it, or the journal is closed; a full queue is
     * not a failure, see run): our in-memory head is now ahead of the store. Nothing of it was
     * acknowledged, so the safe move is to drop this actor and its sockets; clients reconnect, a
     * fresh actor is rebuilt from the journal, and unacknowledged events are resent by clients.
     */
    private void journalFailed(Throwable failure) {
        LOG.error("journal append failed for session {}; dropping its live state", record.id(), failure);
        broken = true;
        agent.stop();
        List.copyOf(lastFrameAt.keySet()).forEach(c -> c.close(CloseCodes.INTERNAL_ERROR, "storage failure"));
        lastFrameAt.clear();
        stopReplays();
        restartClosed.complete(null); // a stop waiting for this session has nothing left to wait for
    }

    /**
     * The session's lease was renewed by nobody and taken over by another node (this one paused, or
     * lost the database for longer than the lease), so it learnt it is deposed: from its refused
     * append, or from a renewal that no longer found the lease. It stops at once — no agent turn,
     * no frame, no timer — and closes its sockets with 1012, so clients reconnect and resume from
     * their cursor on the owner (through a follower on any node). Nothing it held back was echoed,
     * so clients resend it (the client_event_id dedupes). The registry drops it.
     */
    private void deposed() {
        if (deposed) {
            return;
        }
        LOG.info("session {} is owned by a newer lease than epoch {}: stopping its actor here", record.id(), epoch);
        deposed = true;
        stopped = true;
        onDeposed.run();
        agent.stop();
        List.copyOf(lastFrameAt.keySet()).forEach(c -> c.close(CloseCodes.SERVICE_RESTART, MOVED));
        lastFrameAt.clear();
        List.copyOf(observers).forEach(c -> c.close(CloseCodes.SERVICE_RESTART, MOVED));
        observers.clear();
        stopReplays();
        restartClosed.complete(null);
    }

    /** The renewal found the lease gone: the actor is deposed as soon as its running task is done. */
    public void depose() {
        queue.submit(this::deposed);
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Every socket was told to close: their replays stop reading the journal. */
    private void stopReplays() {
        catchingUp.values().forEach(ReplayPump::cancel);
        catchingUp.clear();
    }

    private void noteActivity(Connection from) {
        Instant now = now();
        lastClientActivity = now;
        if (lastFrameAt.containsKey(from)) {
            lastFrameAt.put(from, now);
        }
    }

    private void errorTo(Outbox outbox, Connection to, String message, String detail, RawJson metadata) {
        outbox.sendTo(to, encode(null, SystemMessage.error(message, detail), metadata));
    }

    private String encode(Long sequence, ServerPayload payload, RawJson metadata) {
        return ServerEventEncoder.encode(new ServerEvent(Ids.eventId(), sequence, now(), payload, metadata));
    }

    Instant now() {
        return Timestamps.truncate(services.clock().instant());
    }
}
