package dev.parley.server.desk;

import java.time.Instant;

/**
 * A conversation in the desk's hands, as stored: waiting in a queue (FIFO by {@code enqueuedAt}) or
 * assigned to an agent. Stored on every change so a restart keeps waiting users in order and
 * assigned conversations assigned.
 */
public record HandoffRecord(
        String sessionId,
        String connectorId,
        String queue,
        Status status,
        Instant enqueuedAt,
        String agentId,
        Instant assignedAt) {

    public enum Status {
        WAITING, ASSIGNED, CLOSED
    }

    public static HandoffRecord waiting(String sessionId, String connectorId, String queue, Instant at) {
        return new HandoffRecord(sessionId, connectorId, queue, Status.WAITING, at, null, null);
    }

    public HandoffRecord assignedTo(String agent, Instant at) {
        return new HandoffRecord(sessionId, connectorId, queue, Status.ASSIGNED, enqueuedAt, agent, at);
    }

    /** Back to the head of its queue: keeps its original place in time. */
    public HandoffRecord requeued() {
        return new HandoffRecord(sessionId, connectorId, queue, Status.WAITING, enqueuedAt, null, null);
    }

    public HandoffRecord movedTo(String newQueue, Instant at) {
        return new HandoffRecord(sessionId, connectorId, newQueue, Status.WAITING, at, null, null);
    }

    public HandoffRecord closed() {
        return new HandoffRecord(sessionId, connectorId, queue, Status.CLOSED, enqueuedAt, agentId, assignedAt);
    }
}
