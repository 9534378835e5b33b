package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_LIVE_AGENT_TYPING}. The human agent is typing; transient (§6.2,
 * §13.1). {@code agentName} and {@code avatarUrl} are additive extensions (the official SDKs decode
 * {@code agent_name} here).
 */
public record LiveAgentTyping(TypingState state, String agentId, String agentName, String avatarUrl)
        implements ServerPayload {
    public LiveAgentTyping(TypingState state, String agentId) {
        this(state, agentId, null, null);
    }

    @Override
    public EventType type() {
        return EventType.LIVE_AGENT_TYPING;
    }
}
