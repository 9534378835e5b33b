package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_POLY_AGENT_TRIGGERED_HANDOFF}. The AI agent wants a human to take over (§6.1). */
public record PolyAgentTriggeredHandoff() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.POLY_AGENT_TRIGGERED_HANDOFF;
    }
}
