package dev.parley.server.desk;

/** What one connected agent is told; called on the desk thread, must not block. */
public interface DeskListener {

    /** The waiting lists of the agent's queues changed. */
    void queuesChanged(DeskSnapshot snapshot);

    /** A conversation is now the agent's. */
    void assigned(HandoffRecord conversation);

    /** A conversation is no longer the agent's, and why. */
    void unassigned(String sessionId, Unassignment why);

    /** Supervisors only: their connector's overview changed (at most about once a second). */
    default void overviewChanged(DeskOverview overview) {
    }
}
