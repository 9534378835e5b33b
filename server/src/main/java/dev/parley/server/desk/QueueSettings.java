package dev.parley.server.desk;

import java.time.Duration;

/**
 * One named queue: how conversations are handed out, and how long a user may wait before the
 * handoff times out ({@code HANDOFF_TIMEOUT}).
 */
public record QueueSettings(String name, Assignment assignment, Duration maxWait, boolean open) {

    /** Who picks the next conversation. */
    public enum Assignment {
        /** The least-loaded available agent of the queue gets the oldest waiting conversation. */
        AUTO,
        /** Agents pick from the waiting list themselves. */
        MANUAL
    }

    public static QueueSettings auto(String name, Duration maxWait) {
        return new QueueSettings(name, Assignment.AUTO, maxWait, true);
    }
}
