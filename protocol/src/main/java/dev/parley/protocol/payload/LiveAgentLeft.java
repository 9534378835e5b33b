package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_LIVE_AGENT_LEFT}. The human agent left (§6.2); documented as
 * {@code {}}. {@code agentId}, {@code agentName} and a human-readable {@code reason} are additive
 * extensions the official SDKs decode (they read this event as the end of the conversation, so
 * Parley sends it only when the agent finished, never on a transfer or requeue).
 */
public record LiveAgentLeft(String agentId, String agentName, String reason) implements ServerPayload {
    public LiveAgentLeft() {
        this(null, null, null);
    }

    @Override
    public EventType type() {
        return EventType.LIVE_AGENT_LEFT;
    }
}
