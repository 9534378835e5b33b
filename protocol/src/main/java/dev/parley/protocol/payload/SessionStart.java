package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_SESSION_START}. First stored event of every session (§6.4). */
public record SessionStart(Capabilities capabilities) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.SESSION_START;
    }
}
