package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_HANDOFF_QUEUE_STATUS}. Queue position while waiting; every field optional (§6.3). */
public record HandoffQueueStatus(String queueName, Integer positionInQueue, Integer estimatedWaitSeconds) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.HANDOFF_QUEUE_STATUS;
    }
}
