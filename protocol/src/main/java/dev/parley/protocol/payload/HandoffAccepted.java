package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_HANDOFF_ACCEPTED}. The live-agent system took the handoff (§6.3);
 * documented as {@code {}}. {@code queueName}, the queue that took it, is an additive extension the
 * official SDKs decode.
 */
public record HandoffAccepted(String queueName) implements ServerPayload {
    public HandoffAccepted() {
        this(null);
    }

    @Override
    public EventType type() {
        return EventType.HANDOFF_ACCEPTED;
    }
}
