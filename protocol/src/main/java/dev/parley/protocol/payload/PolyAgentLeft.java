package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_POLY_AGENT_LEFT}. The AI agent left (§6.1). */
public record PolyAgentLeft() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.POLY_AGENT_LEFT;
    }
}
