package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_CLIENT_HANDOFF_REQUIRED}. The client must route the user elsewhere
 * (§6.3, §9.2). {@code route}, where the flow says to send the user (a channel, a URL, a number), is
 * an additive extension the official SDKs decode; absent when the agent names none.
 */
public record ClientHandoffRequired(HandoffReason reason, String queueName, String route) implements ServerPayload {
    public ClientHandoffRequired(HandoffReason reason, String queueName) {
        this(reason, queueName, null);
    }

    @Override
    public EventType type() {
        return EventType.CLIENT_HANDOFF_REQUIRED;
    }
}
