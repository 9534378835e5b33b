package dev.parley.server.agent;

import java.util.concurrent.CompletionStage;

/**
 * An AI agent (ARCHITECTURE.md rule 6). It is told about a conversation and writes its answer to a
 * {@link ReplySink}; the session core turns that into protocol events (whole messages or chunks,
 * depending on the session's streaming setting), so agents never see the wire format.
 *
 * <p>Methods are called from a session's actor thread and must not block it: an agent that does
 * I/O starts it and returns, then writes to the sink from any thread. The sink is bound to one turn:
 * once the session moved on (handoff, end, a newer turn), writes to an old sink are ignored.
 */
public interface Agent {

    /**
     * When true, a user message that arrives while a turn is still being written cancels that turn
     * (its stage is cancelled; the message so far is closed) and is answered at once. When false
     * (the default), the message waits for the next turn.
     */
    default boolean interruptible() {
        return false;
    }

    /** {@link #interruptible()} for the agent that answers this connector (see {@link AgentRouter}). */
    default boolean interruptible(String connectorId) {
        return interruptible();
    }

    /** Name and avatar announced in {@code POLY_AGENT_JOINED}. */
    AgentProfile profile();

    /**
     * Name and avatar announced to a session of {@code connectorId}. Only an agent that stands for
     * different agents per connector ({@link AgentRouter}) needs to override this.
     */
    default AgentProfile profile(String connectorId) {
        return profile();
    }

    /**
     * The agent just joined: write the greeting.
     *
     * @return completes when the agent has written everything for this turn; the session starts
     *         the next queued user turn only then, so replies never interleave
     */
    CompletionStage<Void> greet(Conversation conversation, ReplySink sink);

    /** The user said {@code text}: write the reply; the stage completes as for {@link #greet}. */
    CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink);
}
