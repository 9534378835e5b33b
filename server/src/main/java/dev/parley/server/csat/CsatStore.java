package dev.parley.server.csat;

import java.time.Instant;
import java.util.Optional;

/** Where ratings are kept. Calls block. */
public interface CsatStore {

    /**
     * In one transaction: checks that the session is the connector's, has ended, had a live agent
     * (its handoff record names one) and has no rating yet; stores the rating with that record's
     * queue and agent; and queues one {@code csat.given} delivery per subscription that wants it,
     * under {@code eventId}. Two calls racing for one session store one rating.
     */
    CsatOutcome give(String connectorId, String sessionId, int rating, String comment, Instant at, String eventId);

    Optional<CsatRating> find(String sessionId);
}
