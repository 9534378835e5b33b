package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_CLIENT_HANDOFF_REQUIRED}. The client must route the user elsewhere (§6.3, §9.2). */
public record ClientHandoffRequired(HandoffReason reason, String queueName) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.CLIENT_HANDOFF_REQUIRED;
    }
}
