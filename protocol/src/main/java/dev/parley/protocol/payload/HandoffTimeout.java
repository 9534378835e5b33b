package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_HANDOFF_TIMEOUT}. The user waited too long in the queue (§6.3). */
public record HandoffTimeout() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.HANDOFF_TIMEOUT;
    }
}
