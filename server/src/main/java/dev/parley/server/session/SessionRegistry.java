package dev.parley.server.session;

import dev.parley.protocol.Capabilities;
import dev.parley.protocol.Ids;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.protocol.payload.SessionStart;
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
    private final SessionServices services;
    private final SessionStore sessions;
    private final Map<String, CompletableFuture<Optional<SessionActor>>> live = new ConcurrentHashMap<>();
    private final Map<String, Instant> dormant = new ConcurrentHashMap<>();
    /** Set once by closeAllForRestart: from then on every actor found is stopped too. */
    private volatile boolean closing;

    public SessionRegistry(SessionServices services, SessionStore sessions) {
        this.services = services;
        this.sessions = sessions;
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
        String json = ServerEventEncoder.encode(new ServerEvent(eventId, 1L, now, new SessionStart(capabilities), null));
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
        // A failed rebuild (a transient store error) must not stay cached, or every later connect
        // would get the same failure until the entry is dropped: forget it, only if still ours.
        future.whenComplete((found, failure) -> {
            if (failure != null) {
                live.remove(sessionId, future);
            }
        });
        return future.thenCompose(found -> {
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
        List<StoredEvent> history = readAll(sessionId);
        Instant lastActivity = dormant.getOrDefault(sessionId, now());
        dormant.remove(sessionId);
        SessionActor actor = new SessionActor(record.get(), SessionState.rebuild(history), services, lastActivity);
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
                find(id).thenAccept(actor -> actor.ifPresent(SessionActor::checkTimers));
            }
        });
        live.forEach((id, future) -> {
            Optional<SessionActor> actor = loaded(future);
            if (actor.isEmpty()) {
                return;
            }
            if (actor.get().isEnded() || actor.get().isBroken()) {
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

    /** The actors already rebuilt; never waits for one being loaded, never throws for a failed load. */
    private java.util.stream.Stream<SessionActor> loadedActors() {
        return live.values().stream().map(SessionRegistry::loaded).flatMap(Optional::stream);
    }

    private static Optional<SessionActor> loaded(CompletableFuture<Optional<SessionActor>> future) {
        return future.isDone() && !future.isCompletedExceptionally() ? future.join() : Optional.empty();
    }

    /** Sessions held in memory right now (for metrics and tests). */
    public int liveCount() {
        return live.size();
    }

    private Instant now() {
        return Timestamps.truncate(services.clock().instant());
    }
}
