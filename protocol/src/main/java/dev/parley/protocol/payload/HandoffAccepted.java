package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_HANDOFF_ACCEPTED}. The live-agent system took the handoff (§6.3). */
public record HandoffAccepted() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.HANDOFF_ACCEPTED;
    }
}
