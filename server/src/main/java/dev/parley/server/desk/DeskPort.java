package dev.parley.server.desk;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The desk as agents' sockets and REST routes see it: the {@link Desk} itself on one node, or on
 * several nodes the cluster desk, which hands each call to the one leader's Desk (issue 11).
 * Never blocks; listeners are called back on no particular thread and must not block.
 */
public interface DeskPort {

    void connect(DeskAgent agent, DeskListener listener);

    void disconnect(String agentId, DeskListener listener);

    void setPresence(String agentId, Presence value);

    CompletionStage<Optional<HandoffRecord>> claim(String agentId, String sessionId);

    CompletionStage<Boolean> owns(String agentId, String sessionId);

    /** End: {@code LIVE_AGENT_LEFT} then {@code SESSION_END}; false if the conversation is not the agent's. */
    CompletionStage<Boolean> finish(String agentId, String sessionId);

    /** Leave: the conversation waits again at the head of its queue for a colleague; false if not the agent's. */
    CompletionStage<Boolean> leave(String agentId, String sessionId);

    CompletionStage<Boolean> transfer(String agentId, String sessionId, String queue);

    CompletionStage<DeskSnapshot> snapshot(String agentId);

    // ---- team measures: what the desk learns from outside it --------------------------------

    /** The agent sent a message in {@code sessionId}: their first since it became theirs is timed. */
    void replied(String agentId, String sessionId);

    /** A stored CSAT rating of a conversation the agent had in {@code queue} (either may be null). */
    void rated(String queue, String agentId, int rating);

    // ---- supervisors: each refuses an account without the SUPERVISOR role ----------------------

    /** Every configured queue and every agent of the supervisor's connector; empty for a plain agent. */
    CompletionStage<Optional<DeskOverview>> overview(String supervisorId);

    /** May the supervisor follow this open conversation of their connector read-only? Changes nothing. */
    CompletionStage<SupervisorResult> watch(String supervisorId, String sessionId);

    /** The conversation, waiting or assigned, becomes the supervisor's (who must have a desk open). */
    CompletionStage<SupervisorResult> takeOver(String supervisorId, String sessionId);

    /** The conversation, waiting or assigned, goes to {@code agentId}, who must be present and AVAILABLE. */
    CompletionStage<SupervisorResult> reassign(String supervisorId, String sessionId, String agentId);
}
