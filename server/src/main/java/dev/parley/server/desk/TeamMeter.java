package dev.parley.server.desk;

import java.time.Duration;

/**
 * What the desk measures of the team's work, per queue and agent: how long users waited, how long
 * an agent held a conversation, how long until an agent's first reply. The metrics package binds it
 * to Micrometer; the desk core only calls it, on its own thread, and it must not block.
 */
public interface TeamMeter {
    TeamMeter NONE = new TeamMeter() {
    };

    /** How a wait in a queue ended. */
    enum WaitOutcome {
        /** An agent got the conversation. */
        ASSIGNED,
        /** The conversation left the queue without an agent (the user left, the handoff timed out or failed). */
        ABANDONED
    }

    /** A user stopped waiting in {@code queue} after {@code wait}. */
    default void waited(String queue, WaitOutcome outcome, Duration wait) {
    }

    /** {@code agentId} held a conversation of {@code queue} for {@code handling} (until it ended, or went to someone else). */
    default void handled(String queue, String agentId, Duration handling) {
    }

    /** {@code agentId}'s first message in a conversation of {@code queue} came {@code delay} after it was assigned to them. */
    default void firstResponse(String queue, String agentId, Duration delay) {
    }
}
