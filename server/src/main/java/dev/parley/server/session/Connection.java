package dev.parley.server.session;

/**
 * One client socket as the session core sees it. Implemented by the transport.
 *
 * <p>{@link #send} never throws and never blocks: a connection whose outbox is full closes itself
 * with {@link CloseCodes#POLICY_VIOLATION} (a slow consumer must not stall the session).
 */
public interface Connection {

    /** Unique for the life of the process; used in logs. */
    String id();

    void send(String frame);

    void close(int code, String reason);
}
