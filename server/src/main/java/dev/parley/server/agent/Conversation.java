package dev.parley.server.agent;

import java.util.List;

/**
 * What an agent may know of a session: its id, connector, platform, whether replies stream, and
 * the transcript as journaled when the turn started, oldest first (the user message being answered
 * is the last user turn in it), and the conversation language: the BCP-47 tag of the session's
 * latest {@code EVENT_TYPE_LANGUAGE_CHANGED}, or {@code null} while no agent has set one (the agent's
 * own default language then applies).
 */
public record Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history,
                           String language) {

    /** A conversation in which no language was set yet. */
    public Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history) {
        this(sessionId, connectorId, platform, streaming, history, null);
    }

    /** One message of the conversation. */
    public record Turn(Speaker speaker, String text) {
    }

    public enum Speaker {
        USER, AI_AGENT, LIVE_AGENT
    }
}
