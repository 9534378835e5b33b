package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskPort;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskListener;
import dev.parley.server.desk.DeskOverview;
import dev.parley.server.desk.DeskSnapshot;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.SupervisorResult;
import dev.parley.server.desk.Unassignment;
import dev.parley.server.session.DeskToSession;
import dev.parley.server.session.SessionRegistry;
import java.util.List;
import java.util.Map;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open desk socket of one agent: it is the agent's {@link DeskListener} (snapshot, assigned,
 * unassigned go out as messages; assigned conversations are followed through an
 * {@link ObserverConnection}, on any node) and it carries out the agent's commands, each about a conversation
 * checked with {@link DeskPort#owns} first. A supervisor's socket also gets {@code desk.overview} and may
 * watch (follow read-only), take over and reassign conversations; the desk decides whether they may.
 */
final class DeskConnection implements DeskListener {
    private static final Logger LOG = LoggerFactory.getLogger(DeskConnection.class);
    static final String NOT_YOURS = "conversation not assigned to you";
    static final String NOT_AVAILABLE = "conversation not available";
    static final String SUPERVISORS_ONLY = "supervisors only";
    static final String AGENT_NOT_AVAILABLE = "agent not available";

    private final DeskAgent agent;
    private final DeskPort desk;
    private final SessionRegistry sessions;
    private final DeskWire wire;
    private final Vertx vertx;
    private final ConversationDetails details;
    /** Conversations followed right now, by session id. */
    private final Map<String, ObserverConnection> following = new ConcurrentHashMap<>();
    /** The note feeds of the conversations followed, by session id: each handle stops its feed. */
    private final Map<String, Runnable> noteFeeds = new ConcurrentHashMap<>();
    private final NoteRoutes notes;
    /**
     * The last desk callback still being prepared: callbacks go out in the desk's order, each after
     * the customer details it shows were read (from the cache, or on a worker). Guarded by this.
     */
    private CompletableFuture<Void> outgoing = CompletableFuture.completedFuture(null);
    /** Of those, the ones a supervisor watches (read-only, not theirs). */
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Conversations this socket already told the desk it wrote in since their assignment: the desk
     * times first responses itself, this only spares it (and the fan-out) a task per later message.
     */
    private final Set<String> repliedHere = ConcurrentHashMap.newKeySet();

    DeskConnection(DeskAgent agent, DeskPort desk, SessionRegistry sessions, DeskWire wire, NoteRoutes notes, Vertx vertx,
                   ConversationDetails details) {
        this.notes = notes;
        this.agent = agent;
        this.desk = desk;
        this.sessions = sessions;
        this.wire = wire;
        this.vertx = vertx;
        this.details = details;
    }

    void open() {
        desk.connect(agent, this);
    }

    /** The socket closed: the desk forgets this listener, and no conversation is followed any more. */
    void closed() {
        closed = true;
        wire.closed();
        desk.disconnect(agent.id(), this);
        List.copyOf(following.keySet()).forEach(this::unfollow);
        List.copyOf(noteFeeds.keySet()).forEach(this::unfollow); // those whose follow failed
    }

    // ---- desk → agent (desk thread; must not block) -----------------------------------------

    @Override
    public void queuesChanged(DeskSnapshot snapshot) {
        List<String> mine = snapshot.mine().stream().map(HandoffRecord::sessionId).toList();
        inOrder(() -> details.loadAll(vertx, mine)
                .thenAccept(known -> wire.send(DeskJson.snapshotMessage(snapshot, known))));
    }

    @Override
    public void assigned(HandoffRecord conversation) {
        // Followed only once desk.assigned is out, so the conversation's events never overtake it.
        inOrder(() -> details.load(vertx, conversation.sessionId()).thenAccept(customer -> {
            wire.send(DeskJson.assignedMessage(conversation, customer));
            repliedHere.remove(conversation.sessionId());
            // Taken over while watched: the stream followed so far goes on, now as the supervisor's own.
            watched.remove(conversation.sessionId());
            follow(conversation.sessionId());
        }));
    }

    @Override
    public void unassigned(String sessionId, Unassignment why) {
        inOrder(() -> {
            watched.remove(sessionId);
            repliedHere.remove(sessionId);
            unfollow(sessionId);
            wire.send(DeskJson.unassignedMessage(sessionId, why));
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public void overviewChanged(DeskOverview overview) {
        inOrder(() -> {
            wire.send(DeskJson.overviewMessage(overview));
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Runs {@code step} after the steps before it have sent their message; a failed step does not stop the next. */
    private synchronized void inOrder(Supplier<CompletionStage<Void>> step) {
        outgoing = outgoing.thenCompose(v -> {
            try {
                return step.get().toCompletableFuture().exceptionally(this::failedStep);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(failedStep(e));
            }
        });
    }

    private Void failedStep(Throwable e) {
        LOG.warn("desk message for {} not sent", agent.id(), e);
        return null;
    }

    private void follow(String sessionId) {
        follow(sessionId, 0);
    }

    /**
     * Follows through the session's endpoint on this node: its actor, or a follower where another
     * node owns it (issue 11). {@code cursor}: the last sequence the desk has (0: the whole history).
     */
    private void follow(String sessionId, long cursor) {
        if (closed) {
            return;
        }
        ObserverConnection observer = new ObserverConnection(sessionId, agent.id(), wire,
                seen -> refollow(sessionId, seen));
        ObserverConnection before = following.putIfAbsent(sessionId, observer);
        if (before != null) {
            return; // already following (a second assigned for the same conversation)
        }
        // Kept across a refollow (the session moving between nodes): notes do not travel with the session.
        noteFeeds.computeIfAbsent(sessionId, id -> notes.follow(id, wire::send));
        sessions.open(sessionId).whenComplete((endpoint, failure) -> {
            if (failure != null || endpoint.isEmpty()) {
                LOG.warn("desk of {} cannot follow session {}", agent.id(), sessionId, failure);
                following.remove(sessionId, observer);
                return;
            }
            observer.attachTo(endpoint.get(), cursor);
        });
        if (closed) {
            unfollow(sessionId); // the socket closed while we were registering
        }
    }

    /** The session moved between nodes while followed: follow it again where it is served now, from where the desk is. */
    private void refollow(String sessionId, long cursor) {
        ObserverConnection current = following.get(sessionId);
        if (current != null) {
            following.remove(sessionId, current);
            follow(sessionId, cursor);
        }
    }

    private void unfollow(String sessionId) {
        ObserverConnection observer = following.remove(sessionId);
        if (observer != null) {
            observer.stop();
        }
        Runnable feed = noteFeeds.remove(sessionId);
        if (feed != null) {
            feed.run();
        }
    }

    // ---- agent → desk -----------------------------------------------------------------------

    void receive(String frame) {
        handle(DeskCommands.parse(frame));
    }

    void error(String message) {
        wire.send(DeskJson.errorMessage(message, null));
    }

    private void handle(DeskCommand command) {
        if (command instanceof DeskCommand.Invalid invalid) {
            refuse(invalid, invalid.message());
        } else if (command instanceof DeskCommand.SetPresence p) {
            desk.setPresence(agent.id(), p.presence());
        } else if (command instanceof DeskCommand.Claim claim) {
            desk.claim(agent.id(), claim.sessionId()).whenComplete((won, failure) -> {
                if (failure != null || won.isEmpty()) {
                    refuse(claim, NOT_AVAILABLE); // on success the listener already announced desk.assigned
                }
            });
        } else if (command instanceof DeskCommand.Note note) {
            // Answered by the desk.note broadcast this socket follows; only a refusal is answered here.
            notes.notes().add(agent, note.sessionId(), note.text()).whenComplete((stored, failure) -> {
                if (failure != null) {
                    LOG.error("note on {} by {} not stored", note.sessionId(), agent.id(), failure);
                    refuse(note, "desk unavailable");
                } else if (stored.isEmpty()) {
                    refuse(note, NOT_YOURS);
                }
            });
        } else if (command instanceof DeskCommand.AboutConversation about) {
            ifOwned(about, () -> act(about));
        } else if (command instanceof DeskCommand.Watch watch) {
            watch(watch);
        } else if (command instanceof DeskCommand.TakeOver takeOver) {
            refuseUnless(desk.takeOver(agent.id(), takeOver.sessionId()), takeOver); // desk.assigned follows
        } else if (command instanceof DeskCommand.Reassign reassign) {
            refuseUnless(desk.reassign(agent.id(), reassign.sessionId(), reassign.agentId()), reassign);
        }
    }

    /**
     * A supervisor follows a conversation as its agent does (history batch, then live), without it
     * becoming theirs; watching again sends the history again.
     */
    private void watch(DeskCommand.Watch command) {
        String sessionId = command.sessionId();
        if (!command.on()) {
            if (watched.remove(sessionId)) {
                unfollow(sessionId);
            } else {
                refuse(command, "not watching that conversation");
            }
            return;
        }
        desk.watch(agent.id(), sessionId).whenComplete((result, failure) -> {
            if (failure != null || !result.ok()) {
                refuse(command, failure != null ? "desk unavailable" : refusal(result));
            } else if (watched.contains(sessionId)) {
                unfollow(sessionId);
                follow(sessionId);
            } else if (!following.containsKey(sessionId)) { // already followed: it is theirs
                watched.add(sessionId);
                follow(sessionId);
            }
        });
    }

    private void refuseUnless(CompletionStage<SupervisorResult> done, DeskCommand command) {
        done.whenComplete((result, failure) -> {
            if (failure != null) {
                refuse(command, "desk unavailable");
            } else if (!result.ok()) {
                refuse(command, refusal(result));
            }
        });
    }

    /** The desk.error message (and REST error) for a refused supervisor command. */
    static String refusal(SupervisorResult result) {
        return switch (result.outcome()) {
            case NOT_SUPERVISOR -> SUPERVISORS_ONLY;
            case AGENT_NOT_AVAILABLE -> AGENT_NOT_AVAILABLE;
            default -> NOT_AVAILABLE;
        };
    }

    /** Runs {@code action} only when the conversation is this agent's; otherwise {@code desk.error}. */
    private void ifOwned(DeskCommand.AboutConversation command, Runnable action) {
        desk.owns(agent.id(), command.sessionId()).whenComplete((owned, failure) -> {
            if (failure != null) {
                refuse(command, "desk unavailable");
            } else if (!owned) {
                refuse(command, NOT_YOURS);
            } else {
                action.run();
            }
        });
    }

    private void act(DeskCommand.AboutConversation command) {
        if (command instanceof DeskCommand.Send send) {
            sessions.deskCommand(send.sessionId(), DeskToSession.agentMessage(agent.id(), send.text()));
            if (repliedHere.add(send.sessionId())) {
                desk.replied(agent.id(), send.sessionId()); // the desk times only the first since the assignment
            }
        } else if (command instanceof DeskCommand.Typing typing) {
            sessions.deskCommand(typing.sessionId(), DeskToSession.agentTyping(agent.id(), typing.state()));
        } else if (command instanceof DeskCommand.Finish finish) {
            refuseUnless(desk.finish(agent.id(), finish.sessionId()), finish, NOT_YOURS);
        } else if (command instanceof DeskCommand.Leave leave) {
            refuseUnless(desk.leave(agent.id(), leave.sessionId()), leave, NOT_YOURS);
        } else if (command instanceof DeskCommand.Transfer transfer) {
            refuseUnless(desk.transfer(agent.id(), transfer.sessionId(), transfer.queue()), transfer,
                    "transfer refused: no such open queue: " + transfer.queue());
        }
    }

    private void refuseUnless(CompletionStage<Boolean> done, DeskCommand command, String message) {
        done.whenComplete((ok, failure) -> {
            if (failure != null || !ok) {
                refuse(command, message);
            }
        });
    }

    private void refuse(DeskCommand command, String message) {
        wire.send(DeskJson.errorMessage(message, command.requestId()));
    }
}
