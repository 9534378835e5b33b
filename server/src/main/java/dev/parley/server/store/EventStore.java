package dev.parley.server.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The journal of session events. Calls block: callers run them off event-loop threads (appends go
 * through {@link GroupCommitWriter}).
 */
public interface EventStore {

    /**
     * Appends events of any number of sessions in one transaction, durable when this returns. A
     * {@code SESSION_END} event also marks its session ended in the same transaction.
     *
     * @throws StoreException if the transaction failed; then none of the events is stored
     */
    default void append(List<StoredEvent> events) {
        append(List.of(), events);
    }

    /**
     * Stores new sessions and appends events of any number of sessions in one transaction, durable
     * when this returns. The sessions' rows are written first, so a new session's
     * {@code SESSION_START} may be among the events (this is how session creation shares the group
     * commit).
     *
     * @throws StoreException if the transaction failed; then none of it is stored
     */
    void append(List<SessionRecord> newSessions, List<StoredEvent> events);

    /**
     * Like {@link #append(List, List)}, but fenced (issue 11): the events of a session named in
     * {@code epochs} are written only if that session's lease epoch is still the one given, checked
     * in the same transaction. A session whose epoch moved on is left out — none of its events is
     * stored — and returned; everything else commits together. The default, for a store without
     * leases (one node owns everything), fences nothing.
     *
     * @return the sessions whose writer is deposed
     * @throws StoreException if the transaction failed; then none of it is stored
     */
    default Set<String> append(List<SessionRecord> newSessions, List<StoredEvent> events, Map<String, Long> epochs) {
        append(newSessions, events);
        return Set.of();
    }

    /** Events of a session with {@code sequence > afterSequence}, ascending, at most {@code limit}. */
    List<StoredEvent> readAfter(String sessionId, long afterSequence, int limit);

    /** Highest stored sequence of a session, 0 when it has none. */
    long headSequence(String sessionId);

    /**
     * Proves the store answers right now (PostgreSQL: {@code SELECT 1} on a pooled connection), so
     * a node can report it down and refuse new work instead of waiting for a failed commit. Blocks
     * for at most a few seconds; an embedded store has nothing to prove.
     *
     * @throws StoreException if the store did not answer
     */
    default void probe() {
    }

    /** The stored event that carried this client event id in this session, if any. */
    Optional<StoredEvent> findByClientEventId(String sessionId, String clientEventId);
}
