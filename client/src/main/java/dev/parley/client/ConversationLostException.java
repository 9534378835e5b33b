package dev.parley.client;

/**
 * The SDK stopped trying to reach the conversation: a REST call or the WebSocket handshake was
 * refused (401, 404, other 4xx except 429), or the reconnect budget ran out. Start a new
 * conversation to carry on (PROTOCOL.md §3.6). Reported through
 * {@link ConversationListener#onFailure(Conversation, ConversationLostException)}.
 */
public final class ConversationLostException extends RuntimeException {
    private final int httpStatus;

    public ConversationLostException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The refusing HTTP status, or {@code -1} when there was none (network failure, budget spent). */
    public int httpStatus() {
        return httpStatus;
    }
}
