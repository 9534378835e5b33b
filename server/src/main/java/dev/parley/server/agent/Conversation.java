package dev.parley.server.agent;

import java.util.List;
import java.util.Map;

/**
 * What an agent may know of a session: its id, connector, platform, whether replies stream, the
 * transcript as journaled when the turn started, oldest first (the user message being answered
 * is the last user turn in it), and the verified context (only values a token signed by the
 * connector's site vouched for; empty when there is none).
 */
public record Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history,
                           Map<String, Object> context) {

    public Conversation {
        context = context == null ? Map.of() : context;
    }

    /** Without verified context. */
    public Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history) {
        this(sessionId, connectorId, platform, streaming, history, Map.of());
    }

    /** One message of the conversation. */
    public record Turn(Speaker speaker, String text) {
    }

    public enum Speaker {
        USER, AI_AGENT, LIVE_AGENT
    }
}
