package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_LIVE_AGENT_LEFT}. The human agent left (§6.2). */
public record LiveAgentLeft() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.LIVE_AGENT_LEFT;
    }
}
