package dev.parley.client;

/**
 * One session with a Parley server, kept alive across dropped sockets. Obtained from
 * {@link ParleyClient#start} or {@link ParleyClient#resume}.
 *
 * <p>All methods are thread-safe and non-blocking, and none of them throws: work is handed to the
 * conversation's own thread, the same thread that calls the {@link ConversationListener}.
 */
public interface Conversation extends AutoCloseable {

    /** The session id, or {@code null} until the session was created. */
    String sessionId();

    /**
     * Sends a user message with a delivery receipt. When not connected the message waits and goes
     * out after the next (re)connection; without an echo it is resent after
     * {@link ClientOptions#receiptTimeout()} times the attempt number, at most
     * {@link ClientOptions#maxResends()} times, then {@link DeliveryStatus#FAILED}. On a closed
     * conversation the returned message is already failed.
     */
    OutgoingMessage send(String text);

    /** Tells a live agent whether the user is typing; dropped when not connected. */
    void typing(boolean typing);

    /** Asks the server to end the session; {@code onSessionEnded} follows. */
    void end();

    /** The highest stored-event sequence delivered to the listener: the cursor for {@code resume}. */
    long lastSequence();

    ConnectionState state();

    /**
     * Closes the socket, cancels timers and stops the delivery thread without ending the session,
     * which can be resumed later. Messages still sending become {@link DeliveryStatus#FAILED}.
     */
    @Override
    void close();
}
