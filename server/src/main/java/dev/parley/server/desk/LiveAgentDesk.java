package dev.parley.server.desk;

import java.util.concurrent.CompletionStage;

/**
 * The live-agent system as a session sees it. Absent when the desk is disabled: handoffs are then
 * client-managed ({@code CLIENT_HANDOFF_REQUIRED}, PROTOCOL.md §9.2).
 */
public interface LiveAgentDesk {

    /** Puts the conversation in a queue; the answer decides between HANDOFF_ACCEPTED and HANDOFF_FAILED. */
    CompletionStage<EnqueueResult> enqueue(String sessionId, String connectorId, String queue);

    /**
     * The session has journaled and delivered {@code HANDOFF_ACCEPTED}: only now may an agent be
     * assigned, so that {@code LIVE_AGENT_JOINED} can never overtake it.
     */
    void accepted(String sessionId);

    /** The session ended: it leaves any queue or agent. */
    void sessionEnded(String sessionId);
}
