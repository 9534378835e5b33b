package dev.parley.server.agent;

import java.util.List;
import java.util.Map;

/**
 * What an agent may know of a session: its id, connector, platform, whether replies stream, the
 * transcript as journaled when the turn started, oldest first (the user message being answered
 * is the last user turn in it), the conversation language (the BCP-47 tag of the session's latest
 * {@code EVENT_TYPE_LANGUAGE_CHANGED}, or {@code null} while no agent has set one: the agent's own
 * default language then applies), and the verified context (only values a token signed by the
 * connector's site vouched for; empty when there is none).
 */
public record Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history,
                           String language, Map<String, Object> context) {

    public Conversation {
        context = context == null ? Map.of() : context;
    }

    /** A conversation in which no language was set yet and nothing was verified. */
    public Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history) {
        this(sessionId, connectorId, platform, streaming, history, null, Map.of());
    }

    /** Without verified context. */
    public Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history,
                        String language) {
        this(sessionId, connectorId, platform, streaming, history, language, Map.of());
    }

    /** In which no language was set yet. */
    public Conversation(String sessionId, String connectorId, String platform, boolean streaming, List<Turn> history,
                        Map<String, Object> context) {
        this(sessionId, connectorId, platform, streaming, history, null, context);
    }

    /** One message of the conversation. */
    public record Turn(Speaker speaker, String text) {
    }

    public enum Speaker {
        USER, AI_AGENT, LIVE_AGENT
    }
}
