package dev.parley.server.store;

import java.time.Instant;
import java.util.List;

/**
 * A page of the desk's history (issue 14): ended conversations, newest end first. Null fields do not filter.
 *
 * @param connectorId conversations of this connector only
 * @param queues      conversations handed to one of these desk queues only (who may see what is
 *                    decided by the caller, in one place); empty: none
 * @param text        words all found in one message of the conversation (SQLite: each word as a
 *                    prefix; PostgreSQL: English stemming); null or blank: any conversation
 * @param queue       conversations of this queue
 * @param liveAgentId conversations this live agent took
 * @param endedFrom   ended at or after this
 * @param endedUntil  ended strictly before this
 * @param after       the last conversation of the previous page; the page starts strictly below it
 */
public record HistoryQuery(String connectorId, List<String> queues, String text, String queue, String liveAgentId,
                           Instant endedFrom, Instant endedUntil, Position after, int limit) {

    /** A place in the history's order: newest end first, then by id descending. */
    public record Position(Instant endedAt, String sessionId) {
    }

    public HistoryQuery {
        queues = queues == null ? null : List.copyOf(queues);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    public boolean hasText() {
        return text != null && !text.isBlank();
    }
}
