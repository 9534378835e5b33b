package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_SESSION_END}. The session is over (§6.4). */
public record SessionEnd(EndReason reason) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.SESSION_END;
    }
}
