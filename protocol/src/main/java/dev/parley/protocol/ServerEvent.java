package dev.parley.protocol;

import dev.parley.protocol.payload.ServerPayload;
import java.time.Instant;
import java.util.Objects;

/**
 * The envelope of every server event (PROTOCOL.md §4.2).
 *
 * @param id        unique event id (UUIDv7); clients dedupe on it
 * @param sequence  per-session position for stored events, {@code null} for transient ones
 * @param timestamp when the server processed the event
 * @param payload   the type-specific payload, which also names the type
 * @param metadata  the originating client event's metadata, verbatim, or {@code null}
 */
public record ServerEvent(String id, Long sequence, Instant timestamp, ServerPayload payload, RawJson metadata) {
    public ServerEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(payload, "payload");
    }

    public EventType type() {
        return payload.type();
    }

    public boolean isTransient() {
        return sequence == null;
    }
}
