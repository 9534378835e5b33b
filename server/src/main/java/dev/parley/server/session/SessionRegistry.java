package dev.parley.server.session;

import dev.parley.protocol.Capabilities;
import dev.parley.protocol.Ids;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.protocol.payload.SessionStart;
import dev.parley.server.store.ContextStore;
import dev.parley.protocol.codec.ClientEventDecoder;
import dev.parley.protocol.codec.Decoded;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.store.ConnectionSlots;
import dev.parley.server.store.SessionLeases;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.SessionStore;
import dev.parley.server.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds, creates and retires session actors. A session lives in memory while it has connections or
 * is not yet ended; otherwise it is only in the journal and is rebuilt from it on the next connect.
 * Open sessions nobody is connected to are tracked as "dormant" (just their last activity) so that
 * they still end with {@code REASON_USER_ABANDONED} on time (PROTOCOL.md §13.13), also after a
 * restart.
 */
public final class SessionRegistry {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionRegistry.class);
    private final SessionServices services;
    private final SessionStore sessions;
    /** Where each session's verified context is kept, so a rebuilt actor has it again. */
    private final ContextStore contexts;
    private final SessionLeases leases;
    private final FanOut fanOut;
    private final ClientEventDecoder decoder;
    private final Doorbell doorbell;
    /**
     * This node's topic, one message at a time in arrival order: two frames of one remote socket
     * (a message, then its end) reach the actor in the order the client sent them, and an answer
     * never overtakes an earlier one. Set only on several nodes.
     */
    private final SerialQueue inbound;
    /** Sessions another node owns that sockets here follow (issue 11). */
    private final Map<String, CompletableFuture<Optional<SessionFollower>>> followers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Optional<SessionActor>>> live = new ConcurrentHashMap<>();
    private final Map<String, Instant> dormant = new ConcurrentHashMap<>();
    /** Lease moves, refills, gaps and deposed actors of this node, for metrics. */
    private final ClusterCounters cluster = new ClusterCounters();
    /** The connection slots this node holds across nodes (issue 11), renewed with the leases. */
    private final Set<String> heldSlots = ConcurrentHashMap.newKeySet();
    /** Set once by closeAllForRestart: from then on every actor found is stopped too. */
    private volatile boolean closing;

    /** One node owns every session (the embedded store). */
    public <S extends SessionStore & ContextStore> SessionRegistry(SessionServices services, S sessions) {
        this(services, sessions, SessionLeases.singleNode("single"), InMemoryFanOut.standalone(),
                new ClientEventDecoder(dev.parley.protocol.Limits.MAX_TEXT_CHARS));
    }

    /**
     * Several nodes on one store: an actor runs here only while this node holds the session's lease
     * (issue 11), and writes with its epoch.
     */
    public <S extends SessionStore & ContextStore> SessionRegistry(SessionServices services, S sessions,
                                                                   SessionLeases leases, FanOut fanOut,
                                                                   ClientEventDecoder decoder) {
        this.services = services;
        this.sessions = sessions;
        this.contexts = sessions;
        this.leases = leases;
        this.fanOut = fanOut;
        this.decoder = decoder;
        this.inbound = new SerialQueue(services.executor(), 0);
        if (leases.multiNode()) {
            this.doorbell = (id, head, stored, transients, forDesks) -> fanOut.publish(FanOutMessages.sessionTopic(id),
                    FanOutMessages.doorbell(head, stored, transients, forDesks));
            fanOut.subscribe(FanOutMessages.nodeTopic(leases.nodeId()),
                    message -> FanOutMessages.readToNode(message).ifPresent(m -> inbound.submit(() -> toThisNode(m))));
            // Messages may have been lost: every follower reads the store (the owner's side needs nothing,
            // a lost forwarded frame was never echoed and is resent by its client).
            fanOut.onGap(() -> loadedFollowers().forEach(SessionFollower::checkHead));
        } else {
            this.doorbell = Doorbell.NONE;
        }
    }

    /**
     * What a user socket talks to: the session's actor when this node owns it (or can take its
     * lease), else a follower of the owner on another node. Empty when there is no such session.
     */
    public CompletionStage<Optional<SessionEndpoint>> open(String sessionId) {
        return find(sessionId).handle((actor, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(actor.<SessionEndpoint>map(a -> a));
            }
            if (rootOf(failure) instanceof OwnedElsewhereException) {
                return follow(sessionId);
            }
            return CompletableFuture.<Optional<SessionEndpoint>>failedFuture(failure);
        }).thenCompose(stage -> stage);
    }

    /**
     * Claims one of the session's connection slots (PROTOCOL.md §3.3: at most
     * {@code maxConnections}), first on this node's endpoint, then — on several nodes — across all
     * nodes in the store, so ten sockets spread over three nodes are the limit, not thirty. Empty:
     * refused (429), nothing held. Never blocks the caller; the store is asked on a worker.
     */
    public CompletionStage<Optional<ConnectionSlot>> reserveConnection(SessionEndpoint endpoint) {
        if (!endpoint.tryReserveConnection()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ConnectionSlots slots = leases.connectionSlots();
        if (!slots.shared()) {
            return CompletableFuture.completedFuture(Optional.of(ConnectionSlot.LOCAL));
        }
        String slotId = leases.nodeId() + "/" + Ids.eventId();
        heldSlots.add(slotId); // before the claim: a renewal meanwhile must not drop the row as stale
        return CompletableFuture.supplyAsync(() -> {
            boolean granted;
            try {
                granted = slots.claim(endpoint.record().id(), slotId, services.settings().maxConnections());
            } catch (RuntimeException e) {
                heldSlots.remove(slotId);
                endpoint.releaseReservation();
                throw e;
            }
            if (!granted) {
                heldSlots.remove(slotId);
                endpoint.releaseReservation();
                return Optional.<ConnectionSlot>empty();
            }
            return Optional.of(new ConnectionSlot(() -> services.executor().execute(() -> freeSlot(slots, slotId))));
        }, services.executor());
    }

    private void freeSlot(ConnectionSlots slots, String slotId) {
        heldSlots.remove(slotId); // first: should the delete fail, the next renewal drops the row
        try {
            slots.free(slotId);
        } catch (RuntimeException e) {
            LOG.warn("connection slot {} not freed now; the next lease renewal drops it", slotId, e);
        }
    }

    /**
     * Where a verified context for the session goes: its actor when this node owns it (or can take
     * its lease), else the store directly, read by the owner before its next agent turn (issue 11).
     * Empty when there is no such session.
     */
    public CompletionStage<Optional<ContextTarget>> contextTarget(String sessionId) {
        return find(sessionId).handle((actor, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(actor.<ContextTarget>map(a -> a));
            }
            if (rootOf(failure) instanceof OwnedElsewhereException) {
                return CompletableFuture.supplyAsync(() -> storedContextTarget(sessionId), services.executor());
            }
            return CompletableFuture.<Optional<ContextTarget>>failedFuture(failure);
        }).thenCompose(stage -> stage);
    }

    private Optional<ContextTarget> storedContextTarget(String sessionId) {
        return sessions.findSession(sessionId).map(record -> {
            // SESSION_START (sequence 1) carries the context id.
            String contextId = SessionState.rebuild(services.events().readAfter(sessionId, 0, 1)).contextId();
            return new StoredContextTarget(record, contextId, sessions, contexts, services.executor());
        });
    }

    private CompletionStage<Optional<SessionEndpoint>> follow(String sessionId) {
        CompletableFuture<Optional<SessionFollower>> future = followers.computeIfAbsent(sessionId,
                id -> CompletableFuture.supplyAsync(() -> newFollower(id), services.executor()));
        return future.handle((follower, failure) -> {
            if (failure != null || follower.isEmpty() || follower.get().isRetired()) {
                followers.remove(sessionId, future);
            }
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return follower.map(f -> (SessionEndpoint) f);
        });
    }

    private Optional<SessionFollower> newFollower(String sessionId) {
        return sessions.findSession(sessionId).map(record -> {
            SessionFollower follower = new SessionFollower(record, services.events(), fanOut, leases.nodeId(),
                    leases.liveOwner(sessionId).orElse(null), services.executor(), this::now,
                    services.settings().maxConnections(), cluster);
            follower.listen();
            return follower;
        });
    }

    /**
     * A message on this node's topic: a frame for an actor here, or an answer for a follower's
     * socket. The stage completes once the frame is queued on its actor (after a load, if any), so
     * the next message waits for it.
     */
    private CompletionStage<?> toThisNode(FanOutMessages.ToNode message) {
        switch (message.kind()) {
            case FanOutMessages.ToNode.FRAME -> {
                return find(message.session()).handle((actor, failure) -> {
                    if (failure != null || actor.isEmpty()) {
                        return null; // not ours (any more): never echoed, so the client resends it to the next owner
                    }
                    Connection from = new RemoteConnection(fanOut, message.session(), message.origin(), message.conn());
                    Decoded decoded = decoder.decode(message.frame());
                    if (decoded instanceof Decoded.Accepted accepted) {
                        actor.get().receive(from, accepted.event());
                    } else {
                        actor.get().reject(from, (Decoded.Rejected) decoded);
                    }
                    return null;
                });
            }
            case FanOutMessages.ToNode.DESK -> {
                Optional<DeskToSession> command = DeskToSession.fromJson(message.frame());
                if (command.isPresent()) {
                    return deskCommand(message.session(), command.get(), message.code() + 1);
                }
            }
            case FanOutMessages.ToNode.ANSWER -> followerOf(message.session())
                    .ifPresent(f -> f.answer(message.conn(), message.frame()));
            case FanOutMessages.ToNode.CLOSE -> followerOf(message.session())
                    .ifPresent(f -> f.closeRemote(message.conn(), message.code(), message.frame()));
            default -> { } // a newer node's message: ignored
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Runs a desk command on the session's actor: here when this node owns the session (or can take
     * its lease; always on one node), else on its owner, over the owner's node topic, where commands
     * are handled one at a time in arrival order. The stage completes once the command is queued on
     * the actor here or handed to the fan-out (issue 11). A command for a session that no longer
     * exists is dropped.
     */
    public CompletionStage<Void> deskCommand(String sessionId, DeskToSession command) {
        return deskCommand(sessionId, command, 0);
    }

    /** {@code hops}: how often it was forwarded already; an owner moving back and forth cannot bounce it forever. */
    private CompletionStage<Void> deskCommand(String sessionId, DeskToSession command, int hops) {
        return find(sessionId).handle((actor, failure) -> {
            if (failure == null) {
                actor.ifPresent(command::applyTo);
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (!(rootOf(failure) instanceof OwnedElsewhereException) || hops >= 3) {
                LOG.warn("desk command {} for session {} not delivered", command.op(), sessionId, failure);
                return CompletableFuture.<Void>completedFuture(null);
            }
            return CompletableFuture.runAsync(() -> leases.liveOwner(sessionId).ifPresentOrElse(
                    owner -> fanOut.publish(FanOutMessages.nodeTopic(owner), FanOutMessages.toNode(
                            new FanOutMessages.ToNode(FanOutMessages.ToNode.DESK, sessionId, leases.nodeId(), "",
                                    command.toJson(), hops))),
                    () -> deskCommand(sessionId, command, hops + 1)), // the lease just lapsed: take it here
                    services.executor());
        }).thenCompose(stage -> stage);
    }

    private Optional<SessionFollower> followerOf(String sessionId) {
        CompletableFuture<Optional<SessionFollower>> future = followers.get(sessionId);
        return future != null && future.isDone() && !future.isCompletedExceptionally() ? future.join() : Optional.empty();
    }

    private java.util.stream.Stream<SessionFollower> loadedFollowers() {
        return followers.keySet().stream().map(this::followerOf).flatMap(Optional::stream);
    }

    /**
     * The periodic check of every follower (about every second; blocks, run it on a worker): reads
     * the store when the head moved past what its sockets have — a dead fan-out never loses events
     * silently — and looks at the owner's lease. Expired, the owner is gone: this node takes the
     * lease over (epoch + 1), rebuilds the actor from the journal, and the follower's sockets
     * reconnect to it. Followers without sockets are dropped.
     */
    public void checkFollowers() {
        followers.forEach((id, future) -> {
            Optional<SessionFollower> follower = followerOf(id);
            if (follower.isEmpty()) {
                return;
            }
            SessionFollower f = follower.get();
            if (!f.hasConnections()) {
                followers.remove(id, future);
                f.retire();
                return;
            }
            Optional<String> owner = leases.liveOwner(id);
            if (owner.isPresent() && !owner.get().equals(leases.nodeId())) {
                f.owner(owner.get());
                f.checkHead();
                return;
            }
            f.owner(null);
            find(id).whenComplete((actor, failure) -> {
                if (failure == null && actor.isPresent()) {
                    followers.remove(id, future);
                    f.retire(); // its sockets reconnect to the actor that now runs here
                } else {
                    f.checkHead();
                }
            });
        });
    }

    /**
     * Tracks every open session found in the store. Their inactivity window starts now: the time
     * the node was down does not count against the user. Blocks; call at start-up.
     */
    public void recoverOpenSessions() {
        Instant now = now();
        for (SessionRecord session : sessions.openSessions()) {
            dormant.put(session.id(), now);
        }
    }

    /**
     * Creates a session with its {@code SESSION_START} (sequence 1) through the group-commit journal,
     * so concurrent creations share a transaction. Never blocks: the stage completes (on the
     * journal's writer thread; hop off it before real work) once the session is durably stored, or
     * fails — with {@link dev.parley.server.store.JournalFullException} when the journal queue is
     * full (load: nothing was stored, try again later).
     */
    public CompletionStage<SessionRecord> create(String connectorId, String platform, boolean streaming) {
        Instant now = now();
        SessionRecord record = SessionRecord.open(Ids.sessionId(), connectorId, platform, streaming, now);
        Capabilities capabilities = Capabilities.of(streaming, services.settings().heartbeatIntervalSeconds());
        String eventId = Ids.eventId();
        // The context id is minted here, once, and journaled with SESSION_START: a site's backend signs
        // verified context for it, so it must be random (Ids.contextId), never derived from the session id.
        SessionStart payload = new SessionStart(capabilities, Ids.contextId());
        String json = ServerEventEncoder.encode(new ServerEvent(eventId, 1L, now, payload, null));
        StoredEvent start = new StoredEvent(record.id(), 1, eventId, dev.parley.protocol.EventType.SESSION_START,
                now, json, null);
        return services.journal().create(record, start).thenApply(stored -> {
            // Only once it is durable: the sweep must never wake a session the store does not know.
            dormant.put(record.id(), now);
            return record;
        });
    }

    /**
     * The live actor of a session, rebuilding it from the journal if needed (on the worker
     * executor; never blocks the caller). Empty when there is no such session.
     */
    public CompletionStage<Optional<SessionActor>> find(String sessionId) {
        CompletableFuture<Optional<SessionActor>> future = live.computeIfAbsent(sessionId,
                id -> CompletableFuture.supplyAsync(() -> activate(id), services.executor()));
        // A failed load (the store down, the lease held elsewhere) is not remembered: the next find
        // tries again. Removed before the caller's stage fails, so a retry made as soon as it sees the
        // failure never gets the stale one (a separate whenComplete could run after the caller's stage).
        return future.handle((found, failure) -> {
            if (failure != null) {
                live.remove(sessionId, future);
                return CompletableFuture.<Optional<SessionActor>>failedFuture(failure);
            }
            return CompletableFuture.completedFuture(found);
        }).thenCompose(stage -> stage).thenCompose(found -> {
            if (closing && found.isPresent()) {
                // Activated while the node stops (a handshake already past the gate): queue the stop
                // before the caller can attach, so its socket too is closed with 1012.
                found.get().closeForRestart();
            }
            if (found.isEmpty()) {
                live.remove(sessionId, future);
            } else if (found.get().isBroken()) {
                live.remove(sessionId, future);
                return find(sessionId); // rebuild from the journal
            }
            return CompletableFuture.completedFuture(found);
        });
    }

    private Optional<SessionActor> activate(String sessionId) {
        Optional<SessionRecord> record = sessions.findSession(sessionId);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        // The lease first, the journal after: whatever the former owner appended before the epoch
        // moved is in what we read, and whatever it tries after is refused.
        SessionLeases.Lease lease = leases.acquire(sessionId)
                .orElseThrow(() -> new OwnedElsewhereException(sessionId));
        List<StoredEvent> history = readAll(sessionId);
        // Taken over from another node: its activity clock died with it, so the inactivity window
        // starts afresh here (as after a restart) rather than from this node's stale dormant entry.
        Instant lastActivity = lease.movedIn() ? now() : dormant.getOrDefault(sessionId, now());
        if (lease.movedIn()) {
            cluster.leaseMoved();
        }
        dormant.remove(sessionId);
        VerifiedContext context = contexts.findSessionContext(sessionId).map(VerifiedContext::fromStored)
                .orElse(VerifiedContext.NONE);
        SessionActor actor = new SessionActor(record.get(), SessionState.rebuild(history), services, lastActivity,
                context, contexts, lease.epoch(), doorbell, cluster::actorDeposed);
        if (!closing) { // a stopping node starts no agent turn; the next node will
            actor.resumeAgent(); // once per rebuild: the journal may show a turn the last node cut off
        }
        return Optional.of(actor);
    }

    private List<StoredEvent> readAll(String sessionId) {
        List<StoredEvent> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<StoredEvent> page = services.events().readAfter(sessionId, after, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                return all;
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    /**
     * Runs the timers of every session: live actors check their connections and inactivity;
     * dormant sessions past the inactivity timeout are woken so that they end properly. Actors that
     * are finished are dropped from memory.
     */
    public void sweep() {
        if (closing) {
            return; // a stopping node starts no session work (nor ends abandoned sessions)
        }
        Instant cutoff = now().minus(services.settings().inactivityTimeout());
        dormant.forEach((id, lastActivity) -> {
            if (!lastActivity.isAfter(cutoff)) {
                find(id).whenComplete((actor, failure) -> {
                    if (failure == null) {
                        actor.ifPresent(SessionActor::checkTimers);
                    } else if (rootOf(failure) instanceof OwnedElsewhereException) {
                        // Its owner runs its timers. Looked at again one window later, should the owner die.
                        dormant.put(id, now());
                    }
                });
            }
        });
        live.forEach((id, future) -> {
            Optional<SessionActor> actor = loaded(future);
            if (actor.isEmpty()) {
                return;
            }
            if (actor.get().isDeposed()) {
                live.remove(id, future); // its sockets were closed; the owner is elsewhere now
                dormant.put(id, now());
            } else if (actor.get().isEnded() || actor.get().isBroken()) {
                if (!actor.get().hasConnections()) {
                    live.remove(id, future);
                }
            } else {
                actor.get().checkTimers();
            }
        });
    }

    /**
     * Closes the user sockets of every live session of these connectors with
     * {@link CloseCodes#CONNECTOR_REVOKED}: their tokens are refused now, so their sockets must not
     * outlive them. Called after every revocation poll, not only for newly revoked connectors, so a
     * handshake verified just before a revocation and attached just after is closed by the next
     * one. Cheap when nothing matches: a walk over the live map, no task for idle actors.
     */
    public void closeConnectionsOf(Set<String> revokedConnectorIds) {
        loadedActors().filter(actor -> actor.hasConnections()
                        && revokedConnectorIds.contains(actor.record().connectorId()))
                .forEach(actor -> actor.closeConnections(CloseCodes.CONNECTOR_REVOKED,
                        CloseCodes.CONNECTOR_REVOKED_REASON));
    }

    /**
     * An operator erases an open session (issue 14): its actor ends it ({@code SESSION_END}, sockets
     * closed) and stops for good, on this node if it owns the session or can take its lease. A
     * session owned by another node is left to that node, which drops it when it sees the erasure
     * ({@link #dropErased}); its next append is refused anyway. Never blocks the caller.
     */
    public CompletionStage<Void> endForErasure(String sessionId) {
        return find(sessionId).handle((actor, failure) -> {
            if (failure != null || actor.isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return actor.get().endForErasure();
        }).thenCompose(stage -> stage);
    }

    /**
     * These sessions were erased (here, on another node, or by the admin CLI): whatever this node
     * holds of them goes — the actor stops and closes its sockets, a follower's sockets are closed,
     * the dormant entry is forgotten — and a later connect finds no session (404).
     */
    public void dropErased(Set<String> sessionIds) {
        for (String id : sessionIds) {
            dormant.remove(id);
            CompletableFuture<Optional<SessionActor>> actor = live.remove(id);
            if (actor != null) { // also one still loading: it stops once loaded
                actor.thenAccept(found -> found.ifPresent(SessionActor::stopErased));
            }
            CompletableFuture<Optional<SessionFollower>> follower = followers.remove(id);
            if (follower != null) {
                follower.thenAccept(found -> found.ifPresent(SessionFollower::retire));
            }
        }
    }

    /**
     * The node is stopping: every live session closes its sockets with 1012 once its queued tasks
     * and its running agent turn are done, or at {@link #endRestartGrace} ({@link SessionActor#closeForRestart}). Dormant sessions need nothing: their
     * inactivity window starts afresh on the next node.
     *
     * @return completes when every live session has closed its sockets
     */
    public CompletionStage<Void> closeAllForRestart() {
        closing = true;
        CompletableFuture<?>[] stops = live.values().stream()
                .map(future -> future.exceptionally(failed -> Optional.empty()).thenCompose(actor -> actor
                        .map(SessionActor::closeForRestart)
                        .orElse(CompletableFuture.completedFuture(null))))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(stops);
    }

    /**
     * The agent grace of a graceful stop is over: sessions still waiting for an agent turn close
     * their sockets with 1012 now; the turns they cut off are asked again after the restart.
     */
    public void endRestartGrace() {
        loadedActors().forEach(SessionActor::endRestartGrace);
    }

    /** After closeAllForRestart timed out: every live session closes its sockets with 1012 at once. */
    public void closeNowForRestart() {
        closing = true;
        loadedActors().forEach(SessionActor::closeNowForRestart);
    }

    /**
     * Renews the leases of every actor still running here, in one statement; actors whose lease
     * another node took over (this node paused or lost the database past the ttl) are deposed.
     * Then the connection slots this node's sockets hold, so they keep counting while they live.
     * Blocks: run it off the event loop and the timer thread.
     */
    public void renewLeases() {
        Map<String, SessionActor> running = new java.util.HashMap<>();
        loadedActors().filter(SessionActor::isActive).forEach(a -> running.put(a.record().id(), a));
        if (!running.isEmpty()) {
            for (String lost : leases.renew(running.keySet())) {
                running.get(lost).depose();
            }
        }
        // Also on a node with only followers: its sockets count against the sessions' limits too.
        leases.connectionSlots().renew(Set.copyOf(heldSlots));
    }

    /**
     * The graceful stop closed every session: gives their leases up, so the nodes the clients
     * reconnect to take them over at once instead of after the ttl. Blocks.
     */
    public void releaseLeases() {
        List<String> held = loadedActors().map(a -> a.record().id()).toList();
        leases.release(held);
    }

    /** This node's id in leases and fan-out topics. */
    public String nodeId() {
        return leases.nodeId();
    }

    /** The actors already rebuilt; never waits for one being loaded, never throws for a failed load. */
    private java.util.stream.Stream<SessionActor> loadedActors() {
        return live.values().stream().map(SessionRegistry::loaded).flatMap(Optional::stream);
    }

    private static Optional<SessionActor> loaded(CompletableFuture<Optional<SessionActor>> future) {
        return future.isDone() && !future.isCompletedExceptionally() ? future.join() : Optional.empty();
    }

    /** What happened between this node and the others (for metrics and tests). */
    public ClusterCounters cluster() {
        return cluster;
    }

    /** Sessions held in memory right now (for metrics and tests). */
    public int liveCount() {
        return live.size();
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Instant now() {
        return Timestamps.truncate(services.clock().instant());
    }
}
