package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_POLY_AGENT_THINKING}. The AI agent is composing a reply; transient (§6.1, §13.1). */
public record PolyAgentThinking() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.POLY_AGENT_THINKING;
    }
}
