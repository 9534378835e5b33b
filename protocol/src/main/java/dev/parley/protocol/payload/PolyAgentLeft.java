package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_POLY_AGENT_LEFT}. The AI agent left (§6.1); documented as {@code {}}. A human-readable
 * {@code reason} is an additive extension the official SDKs decode.
 */
public record PolyAgentLeft(String reason) implements ServerPayload {
    public PolyAgentLeft() {
        this(null);
    }

    @Override
    public EventType type() {
        return EventType.POLY_AGENT_LEFT;
    }
}
