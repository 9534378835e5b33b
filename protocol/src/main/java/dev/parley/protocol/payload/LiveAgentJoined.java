package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_LIVE_AGENT_JOINED}. A human agent joined (§6.2). */
public record LiveAgentJoined(LiveAgent agent) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.LIVE_AGENT_JOINED;
    }
}
