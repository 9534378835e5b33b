package dev.parley.server.operator;

import dev.parley.server.store.ErasureRecord;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionSummary;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Erases a conversation on a running node (issue 14): an open session is ended first through its
 * actor, so its sockets hear {@code SESSION_END} and the desk lets it go; then, once the desk has
 * handled that end ({@code deskDrained}), everything the store holds of it is deleted and the audit
 * record written in one transaction; then this node drops what it still holds in memory. Other
 * nodes drop theirs when {@link ErasureWatch} sees the record.
 *
 * <p>Idempotent: erasing an erased session answers its audit record again.
 */
public final class Erasure {
    private final OperatorStore store;
    private final LiveSessions live;
    private final Supplier<CompletionStage<Void>> deskDrained;
    private final Clock clock;
    private final Executor blocking;

    /**
     * @param deskDrained completes once the desk has run every task queued before the call (the
     *                    session's end among them), so its last write of the handoff precedes the delete
     * @param blocking    where store calls run (never an event loop)
     */
    public Erasure(OperatorStore store, LiveSessions live, Supplier<CompletionStage<Void>> deskDrained, Clock clock,
                   Executor blocking) {
        this.store = store;
        this.live = live;
        this.deskDrained = deskDrained;
        this.clock = clock;
        this.blocking = blocking;
    }

    /** The outcome: the audit record, or empty when there was never such a session. */
    public CompletionStage<Optional<ErasureRecord>> erase(String sessionId, String erasedBy) {
        return CompletableFuture.supplyAsync(() -> lookUp(sessionId), blocking).thenCompose(found -> {
            if (found.erased().isPresent() || found.session().isEmpty()) {
                return CompletableFuture.completedFuture(found.erased());
            }
            SessionSummary session = found.session().get();
            CompletionStage<Void> ended = session.session().ended()
                    ? CompletableFuture.completedFuture(null)
                    : live.endForErasure(sessionId).thenCompose(v -> deskDrained.get());
            return ended.thenApplyAsync(v -> delete(session, erasedBy), blocking);
        });
    }

    private record Found(Optional<ErasureRecord> erased, Optional<SessionSummary> session) {
    }

    private Found lookUp(String sessionId) {
        Optional<ErasureRecord> erased = store.findErasure(sessionId);
        return new Found(erased, erased.isPresent() ? Optional.empty() : store.findSessionSummary(sessionId));
    }

    private Optional<ErasureRecord> delete(SessionSummary session, String erasedBy) {
        String id = session.session().id();
        ErasureRecord audit = new ErasureRecord(id, session.session().connectorId(), clock.instant(), erasedBy);
        try {
            store.erase(audit);
        } finally {
            live.dropErased(Set.of(id));
        }
        return store.findErasure(id); // ours, or the one a concurrent erasure wrote first
    }
}
