package dev.parley.server.store;

import dev.parley.protocol.EventType;
import java.time.Instant;

/**
 * One journaled event: the exact JSON envelope that was sent live, so that replay sends the same
 * bytes (PROTOCOL.md §13.3, §13.22).
 *
 * @param clientEventId the originating client event's {@code metadata.custom.client_event_id}, or
 *                      {@code null}; unique per session, it makes resends idempotent (§13.5)
 */
public record StoredEvent(
        String sessionId,
        long sequence,
        String eventId,
        EventType type,
        Instant timestamp,
        String json,
        String clientEventId) {
}
