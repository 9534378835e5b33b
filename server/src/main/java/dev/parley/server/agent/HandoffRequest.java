package dev.parley.server.agent;

import dev.parley.protocol.HandoffReason;

/**
 * The agent wants a human: why, which queue should take the user, and optionally where a
 * client-managed handoff should send them ({@code route} on {@code CLIENT_HANDOFF_REQUIRED}, an
 * additive extension; null when the agent names none).
 */
public record HandoffRequest(HandoffReason reason, String queueName, String route) {
    public HandoffRequest(HandoffReason reason, String queueName) {
        this(reason, queueName, null);
    }
}
