package dev.parley.server.agent;

import dev.parley.protocol.HandoffReason;

/** The agent wants a human: why, and which queue should take the user. */
public record HandoffRequest(HandoffReason reason, String queueName) {
}
