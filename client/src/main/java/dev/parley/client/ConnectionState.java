package dev.parley.client;

/** Where a {@link Conversation}'s connection stands. */
public enum ConnectionState {
    /** Fetching a token, creating the session, or opening the first socket. */
    CONNECTING,
    /** The socket is open and the history replay was received; sends go out at once. */
    CONNECTED,
    /** The socket dropped; the SDK waits out its back-off and resumes from the cursor. */
    RECONNECTING,
    /** Final: the session ended, the SDK gave up, or {@link Conversation#close()} was called. */
    CLOSED
}
