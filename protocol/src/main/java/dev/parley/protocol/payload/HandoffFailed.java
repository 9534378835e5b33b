package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_HANDOFF_FAILED}. The handoff could not be completed (§6.3); documented as {@code {}}. A human-readable
 * {@code reason} is an additive extension the official SDKs decode.
 */
public record HandoffFailed(String reason) implements ServerPayload {
    public HandoffFailed() {
        this(null);
    }

    @Override
    public EventType type() {
        return EventType.HANDOFF_FAILED;
    }
}
