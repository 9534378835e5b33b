package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_HEARTBEAT}. Echo of a heartbeat; transient (§4.3, §13.2). */
public record HeartbeatEcho() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.HEARTBEAT;
    }
}
