package dev.parley.server.agent;

/** How the AI agent presents itself (PROTOCOL.md §6.1 {@code POLY_AGENT_JOINED}). */
public record AgentProfile(String name, String avatarUrl) {
}
