package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_HANDOFF_TIMEOUT}. The user waited too long in the queue (§6.3); documented as {@code {}}. A human-readable
 * {@code reason} is an additive extension the official SDKs decode.
 */
public record HandoffTimeout(String reason) implements ServerPayload {
    public HandoffTimeout() {
        this(null);
    }

    @Override
    public EventType type() {
        return EventType.HANDOFF_TIMEOUT;
    }
}
