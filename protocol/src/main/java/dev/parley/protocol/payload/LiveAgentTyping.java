package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_LIVE_AGENT_TYPING}. The human agent is typing; transient (§6.2, §13.1). */
public record LiveAgentTyping(TypingState state, String agentId) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.LIVE_AGENT_TYPING;
    }
}
