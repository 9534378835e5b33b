package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_HANDOFF_QUEUE_STATUS}. Queue position while waiting; every field
 * optional (§6.3). {@code displayMessage}, a sentence the app can show as is, is an additive
 * extension the official SDKs decode.
 */
public record HandoffQueueStatus(String queueName, Integer positionInQueue, Integer estimatedWaitSeconds,
                                 String displayMessage) implements ServerPayload {
    public HandoffQueueStatus(String queueName, Integer positionInQueue, Integer estimatedWaitSeconds) {
        this(queueName, positionInQueue, estimatedWaitSeconds, null);
    }

    @Override
    public EventType type() {
        return EventType.HANDOFF_QUEUE_STATUS;
    }
}
