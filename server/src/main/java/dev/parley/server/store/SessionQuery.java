package dev.parley.server.store;

import java.time.Instant;

/**
 * A page of the operator listing (issue 14). Null fields do not filter.
 *
 * @param createdFrom  sessions created at or after this
 * @param createdUntil sessions created strictly before this
 * @param ended        true: ended sessions only; false: open ones only
 * @param handoff      true: sessions that were handed off (to the desk or to the client); false: never
 * @param liveAgentId  sessions whose handoff record names this live agent
 * @param after        the last session of the previous page; the page starts strictly below it
 * @param limit        most sessions returned
 */
public record SessionQuery(String connectorId, Instant createdFrom, Instant createdUntil, Boolean ended,
                           Boolean handoff, String liveAgentId, Position after, int limit) {

    /** A place in the listing's order: newest first by {@code createdAt}, then by id descending. */
    public record Position(Instant createdAt, String sessionId) {
    }

    public SessionQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
