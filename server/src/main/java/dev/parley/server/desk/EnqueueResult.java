package dev.parley.server.desk;

import java.time.ZonedDateTime;

/** The desk's answer to a handoff request. */
public sealed interface EnqueueResult {

    /** Accepted and waiting: {@code HANDOFF_ACCEPTED} then {@code HANDOFF_QUEUE_STATUS}. */
    record Queued(String queue, int position, int estimatedWaitSeconds) implements EnqueueResult {
    }

    /** Refused ({@code HANDOFF_FAILED}): no such queue, queue closed, or nobody will ever answer. */
    record Refused(String reason) implements EnqueueResult {
    }

    /**
     * Outside the queue's business hours: nobody is waited for. The desk has opened an offline
     * conversation; the user is told when the team is back and may leave a message.
     *
     * @param backAt        the next opening in the queue's zone, or null when none is scheduled
     * @param closedMessage the queue's configured out-of-hours text, or null
     */
    record OutOfHours(String queue, ZonedDateTime backAt, String closedMessage) implements EnqueueResult {
    }
}
