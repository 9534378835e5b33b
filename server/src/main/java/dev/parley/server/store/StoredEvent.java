package dev.parley.server.store;

import dev.parley.protocol.EventType;
import java.time.Instant;

/**
 * One journaled event: the exact JSON envelope that was sent live, so that replay sends the same
 * bytes (PROTOCOL.md §13.3, §13.22).
 *
 * @param clientEventId the originating client event's {@code metadata.custom.client_event_id}, or
 *                      {@code null}; unique per session, it makes resends idempotent (§13.5)
 * @param answersSeq    internal, never on the wire: for AI agent output of a turn, the sequence of the
 *                      event that turn answers (the user message echo, or the agent's join for a
 *                      greeting), so a rebuilt actor knows which turns were answered even when a
 *                      message waited behind another's turn; {@code null} for everything else and for
 *                      journals written before the column existed
 */
public record StoredEvent(
        String sessionId,
        long sequence,
        String eventId,
        EventType type,
        Instant timestamp,
        String json,
        String clientEventId,
        Long answersSeq) {

    /** An event that answers no turn. */
    public StoredEvent(String sessionId, long sequence, String eventId, EventType type, Instant timestamp,
                       String json, String clientEventId) {
        this(sessionId, sequence, eventId, type, timestamp, json, clientEventId, null);
    }
}
