package dev.parley.server.agent;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Picks the agent of each turn by the session's connector ({@code agents.connectors} in
 * {@code parley.yaml}), falling back to the default agent. Stateless: every turn is routed anew,
 * which is fine because a session's connector never changes.
 */
public final class AgentRouter implements Agent {
    private final Agent fallback;
    private final Map<String, Agent> byConnector;

    /** @param byConnector connector id to agent; connectors not in it get {@code fallback} */
    public AgentRouter(Agent fallback, Map<String, Agent> byConnector) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.byConnector = Map.copyOf(byConnector);
    }

    /** The agent that answers sessions of {@code connectorId}. */
    public Agent agentFor(String connectorId) {
        return connectorId == null ? fallback : byConnector.getOrDefault(connectorId, fallback);
    }

    /** The default agent's profile; sessions are announced with {@link #profile(String)}. */
    @Override
    public AgentProfile profile() {
        return fallback.profile();
    }

    @Override
    public AgentProfile profile(String connectorId) {
        return agentFor(connectorId).profile(connectorId);
    }

    @Override
    public boolean interruptible(String connectorId) {
        return agentFor(connectorId).interruptible(connectorId);
    }

    @Override
    public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
        return agentFor(conversation.connectorId()).greet(conversation, sink);
    }

    @Override
    public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
        return agentFor(conversation.connectorId()).reply(conversation, text, sink);
    }
}
