package dev.parley.server.desk;

/** The desk's answer to a handoff request. */
public sealed interface EnqueueResult {

    /** Accepted and waiting: {@code HANDOFF_ACCEPTED} then {@code HANDOFF_QUEUE_STATUS}. */
    record Queued(String queue, int position, int estimatedWaitSeconds) implements EnqueueResult {
    }

    /** Refused ({@code HANDOFF_FAILED}): no such queue, queue closed, or nobody will ever answer. */
    record Refused(String reason) implements EnqueueResult {
    }
}
