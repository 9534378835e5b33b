package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_USER_MESSAGE}. Echo of a user message with the server-assigned message id (§4.3). */
public record UserMessageEcho(String text, String messageId) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.USER_MESSAGE;
    }
}
