package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_HANDOFF_FAILED}. The handoff could not be completed (§6.3). */
public record HandoffFailed() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.HANDOFF_FAILED;
    }
}
