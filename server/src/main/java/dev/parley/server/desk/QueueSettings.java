package dev.parley.server.desk;

import java.time.Duration;

/**
 * One named queue: how conversations are handed out, how long a user may wait before the handoff
 * times out ({@code HANDOFF_TIMEOUT}), and when it is staffed.
 *
 * @param hours business hours, or null for always open (outside them a handoff becomes an offline conversation)
 */
public record QueueSettings(String name, Assignment assignment, Duration maxWait, boolean open, BusinessHours hours) {

    /** Who picks the next conversation. */
    public enum Assignment {
        /** The least-loaded available agent of the queue gets the oldest waiting conversation. */
        AUTO,
        /** Agents pick from the waiting list themselves. */
        MANUAL
    }

    /** Always staffed (no business hours). */
    public QueueSettings(String name, Assignment assignment, Duration maxWait, boolean open) {
        this(name, assignment, maxWait, open, null);
    }

    public static QueueSettings auto(String name, Duration maxWait) {
        return new QueueSettings(name, Assignment.AUTO, maxWait, true);
    }

    public QueueSettings withOpen(boolean value) {
        return new QueueSettings(name, assignment, maxWait, value, hours);
    }

    public QueueSettings withHours(BusinessHours value) {
        return new QueueSettings(name, assignment, maxWait, open, value);
    }
}
