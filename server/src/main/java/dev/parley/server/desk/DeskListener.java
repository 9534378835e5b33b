package dev.parley.server.desk;

/** What one connected agent is told; called on the desk thread, must not block. */
public interface DeskListener {

    /** The waiting lists of the agent's queues changed. */
    void queuesChanged(DeskSnapshot snapshot);

    /** A conversation is now the agent's. */
    void assigned(HandoffRecord conversation);

    /** A conversation is no longer the agent's (ended, transferred, requeued). */
    void unassigned(String sessionId);
}
