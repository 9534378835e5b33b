package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_USER_END_SESSION}. Echo of an end-session request (§4.3). */
public record UserEndSessionEcho() implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.USER_END_SESSION;
    }
}
