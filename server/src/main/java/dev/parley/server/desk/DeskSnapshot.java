package dev.parley.server.desk;

import java.util.List;

/** What an agent sees of the desk: their presence, their conversations, and who waits in their queues. */
public record DeskSnapshot(Presence presence, List<HandoffRecord> mine, List<QueueView> queues) {

    /** A queue's waiting conversations in order, with the seconds each has waited. */
    public record QueueView(String name, QueueSettings.Assignment assignment, List<Waiting> waiting) {
    }

    public record Waiting(String sessionId, int position, long waitedSeconds) {
    }
}
