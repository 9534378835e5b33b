package dev.parley.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator APIs (issue 14) need of a store: operator API keys, the conversation listing,
 * erasure with its audit records, and per-connector retention. Calls block.
 */
public interface OperatorStore {

    // ---- API keys ------------------------------------------------------------------------------

    void createApiKey(ApiKey key);

    /** Every key, revoked ones included, oldest first. */
    List<ApiKey> listApiKeys();

    /** Marks a key revoked; false if there is no such key or it was revoked already. */
    boolean revokeApiKey(String id, Instant at);

    /**
     * The keys not revoked as of {@code asOf}, by stored hash. Polled every second by each node (the
     * table holds a row per operator integration), so a revocation or a new key counts within a second.
     */
    Map<String, ApiKey> activeApiKeysByHash(Instant asOf);

    // ---- conversations -------------------------------------------------------------------------

    /** At most {@code query.limit()} sessions matching the query, newest first by (created_at, id). */
    List<SessionSummary> listSessions(SessionQuery query);

    Optional<SessionSummary> findSessionSummary(String sessionId);

    /** The CSAT ratings of those of these sessions that have one, by session id (one query per few hundred ids). */
    Map<String, dev.parley.server.csat.CsatRating> csatOf(java.util.Collection<String> sessionIds);

    // ---- history (desk search) -----------------------------------------------------------------

    /** At most {@code query.limit()} ended conversations matching the query, newest end first. */
    List<HistoryHit> searchHistory(HistoryQuery query);

    // ---- erasure -------------------------------------------------------------------------------

    /**
     * Deletes everything the store holds of the session — its events (with their idempotency
     * keys), verified context, handoff record, connection slots, history search rows, CSAT rating and the session row — and records
     * {@code audit} in the same transaction. Idempotent: false (and nothing written) when there is
     * no such session, erased or never created.
     */
    boolean erase(ErasureRecord audit);

    Optional<ErasureRecord> findErasure(String sessionId);

    /** Erasures recorded at or after {@code since}, so a node can drop live state of sessions erased elsewhere. */
    Set<String> erasedSince(Instant since);

    // ---- retention -----------------------------------------------------------------------------

    /** Sets (or, with null, lifts) the connector's retention; false if there is no such connector. */
    boolean setRetentionDays(String connectorId, Integer days);

    /** The retention of every connector that has one: connector id to days. */
    Map<String, Integer> retentionDays();

    /** Up to {@code limit} ids of the connector's sessions that ended before {@code cutoff}, oldest end first. */
    List<String> endedBefore(String connectorId, Instant cutoff, int limit);
}
