package dev.parley.server.agent;

import java.util.concurrent.CompletionStage;

/**
 * Marks an agent as {@link Agent#interruptible()}: a new user message cancels the turn being
 * written instead of waiting for it (the LLM agent's {@code cancel_on_new_message}).
 */
public final class InterruptibleAgent implements Agent {
    private final Agent delegate;

    public InterruptibleAgent(Agent delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean interruptible() {
        return true;
    }

    @Override
    public boolean interruptible(String connectorId) {
        return true;
    }

    @Override
    public AgentProfile profile() {
        return delegate.profile();
    }

    @Override
    public AgentProfile profile(String connectorId) {
        return delegate.profile(connectorId);
    }

    @Override
    public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
        return delegate.greet(conversation, sink);
    }

    @Override
    public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
        return delegate.reply(conversation, text, sink);
    }
}
