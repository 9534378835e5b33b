package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_POLY_AGENT_JOINED}. The AI agent is in the session (§6.1). */
public record PolyAgentJoined(String agentName, String agentAvatarUrl) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.POLY_AGENT_JOINED;
    }
}
