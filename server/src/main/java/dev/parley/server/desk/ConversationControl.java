package dev.parley.server.desk;

/**
 * What the desk tells conversations; implemented over the session registry, each call becoming a
 * command of that session's actor (which journals the matching protocol event).
 */
public interface ConversationControl {

    /**
     * {@code HANDOFF_QUEUE_STATUS}, also when the conversation goes back to a queue (transfer,
     * requeue): that status ends the live phase, and no {@code LIVE_AGENT_LEFT} is sent, because the
     * official SDKs read that event as the end of the conversation.
     */
    void queueStatus(String sessionId, String queue, int position, int estimatedWaitSeconds);

    /** {@code LIVE_AGENT_JOINED}: from now on user messages go to this agent. */
    void liveAgentJoined(String sessionId, DeskAgent agent);

    /** {@code LIVE_AGENT_LEFT} then {@code SESSION_END} ({@code REASON_NATURAL_END}): the agent finished. */
    void liveAgentFinished(String sessionId);

    /** {@code HANDOFF_TIMEOUT}: waited longer than the queue allows. */
    void handoffTimedOut(String sessionId);

    /** {@code HANDOFF_FAILED}: the desk cannot take the conversation any more. */
    void handoffFailed(String sessionId);
}
