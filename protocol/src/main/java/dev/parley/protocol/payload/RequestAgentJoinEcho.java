package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_REQUEST_POLY_AGENT_JOIN}. Echo of a join request (§4.3). */
public record RequestAgentJoinEcho() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.REQUEST_POLY_AGENT_JOIN;
    }
}
