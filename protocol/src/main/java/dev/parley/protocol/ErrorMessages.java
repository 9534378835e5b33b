package dev.parley.protocol;

/** The documented {@code SYSTEM_MESSAGE} and HTTP error strings (PROTOCOL.md §2, §3.2, §11), verbatim. */
public final class ErrorMessages {
    // §11.1 invalid client events
    public static final String INVALID_FORMAT = "Unknown event type or invalid message format";
    public static final String TYPE_NOT_ALLOWED_PREFIX = "Event type not allowed: ";
    // §11.2 agent errors
    public static final String HIGH_LOAD = "Our system is experiencing high load. Please try again in a moment.";
    public static final String AGENT_START_FAILED = "Sorry, I'm unable to start a conversation right now. Please try again later.";
    public static final String AGENT_REPLY_FAILED = "Sorry, I'm having trouble responding right now. Please try again.";
    public static final String STREAM_FAILED = "Sorry, I encountered an error. Please try again.";
    // §11.3 session-state errors
    public static final String SESSION_NOT_FOUND = "Error: Session not found";
    public static final String SESSION_UNAVAILABLE = "Error: Unable to retrieve session";
    public static final String CONNECTOR_NOT_FOUND = "Error: Connector not found";
    public static final String CONVERSATION_NOT_FOUND = "Error: Conversation not found";
    // §11.4 handoff errors
    public static final String HANDOFF_CONNECT_FAILED = "Sorry, we could not connect you to an agent. Please try again.";
    public static final String LIVE_AGENT_FORWARD_FAILED = "Failed to forward message to live agent";
    public static final String HANDOFF_NOT_INITIATED = "Sorry, handoff could not be initiated.";

    // §2.1 access token
    public static final String MISSING_AUTH_HEADERS = "Missing authentication headers";
    public static final String CONNECTOR_TOKEN_UNKNOWN = "Connector token does not exist";
    public static final String CONNECTOR_HOST_MISMATCH = "Failed to validate connector";
    public static final String CONNECTOR_MISSING_HOST = "Connector missing host domain";
    public static final String ACCESS_TOKEN_FAILED = "Failed to create access token";
    // §2.2 sessions
    public static final String MISSING_ACCESS_TOKEN = "Missing access token";
    public static final String INVALID_ACCESS_TOKEN = "Invalid access token";
    public static final String PARSE_ERROR = "Error parsing request";
    public static final String SESSION_CREATE_FAILED = "Failed to create session";
    // §3.2 WebSocket handshake
    public static final String WS_SESSION_NOT_FOUND = "session not found";
    public static final String WS_AUTH_FAILED = "authentication failed";
    public static final String WS_CONNECTION_LIMIT = "connection limit exceeded for session";
    public static final String WS_INVALID_PARAMETERS = "invalid connection parameters";
    /** Not in §3.2: Parley's 429 once an address or token has failed too many handshakes (§13.26). */
    public static final String WS_TOO_MANY_FAILURES = "too many failed connection attempts";

    private ErrorMessages() {
    }

    public static String typeNotAllowed(EventType type) {
        return TYPE_NOT_ALLOWED_PREFIX + type.wireName();
    }
}
