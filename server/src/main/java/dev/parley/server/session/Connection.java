package dev.parley.server.session;

/**
 * One client socket as the session core sees it. Implemented by the transport.
 *
 * <p>{@link #send} never throws and never blocks: a connection that cannot hold a frame closes
 * itself with {@link CloseCodes#POLICY_VIOLATION} (a slow consumer must not stall the session).
 *
 * <p>Replay uses the back-pressure pair {@link #trySend} / {@link #onWritable}, so a long history is
 * read from the journal only as fast as the socket takes it (docs/design.md, Back-pressure).
 */
public interface Connection {

    /** Unique for the life of the process; used in logs. */
    String id();

    void send(String frame);

    /**
     * Sends {@code frame} only if the connection has room for it now (its own pending bytes and the
     * node's outbound budget); false means nothing was sent: wait for {@link #onWritable}. A closed
     * connection accepts and drops frames. The default has no limit.
     */
    default boolean trySend(String frame) {
        send(frame);
        return true;
    }

    /**
     * Runs {@code action} once, on any thread, when {@link #trySend} may succeed again (at once if it
     * may now). Never run for a connection that closed.
     */
    default void onWritable(Runnable action) {
        action.run();
    }

    void close(int code, String reason);
}
