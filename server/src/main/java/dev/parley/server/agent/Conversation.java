package dev.parley.server.agent;

import java.util.List;

/**
 * What an agent may know of a session: its id, connector, platform, whether replies stream, and
 * the transcript as journaled when the turn started, oldest first (the user message being answered
 * is the last user turn in it).
 */
public record Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history) {

    /** One message of the conversation. */
    public record Turn(Speaker speaker, String text) {
    }

    public enum Speaker {
        USER, AI_AGENT, LIVE_AGENT
    }
}
