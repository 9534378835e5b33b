package dev.parley.protocol;

/** The human agent described in {@code LIVE_AGENT_JOINED} (PROTOCOL.md §6.2). */
public record LiveAgent(String id, String name, String avatarUrl) {
}
