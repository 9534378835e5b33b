package dev.parley.protocol;

/** Numbers fixed by the protocol (PROTOCOL.md §0, §3.3) and the defaults Parley derives from them. */
public final class Limits {
    /** §3.3: maximum size of one WebSocket message, also advertised in the capabilities (§13.12). */
    public static final int MAX_MESSAGE_SIZE_BYTES = 131_072;
    /** §3.3: concurrent WebSocket connections per session. */
    public static final int MAX_CONNECTIONS_PER_SESSION = 10;
    /** §3.5: heartbeat period clients fall back to. */
    public static final int DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 30;
    /** §0: suggested reconnect attempts advertised in the capabilities. */
    public static final int DEFAULT_MAX_RECONNECT_ATTEMPTS = 5;
    /**
     * Longest accepted user text, in chars. Chosen so that any single stored event, even with every
     * char escaped, still fits one replay frame below {@link #MAX_MESSAGE_SIZE_BYTES}.
     */
    public static final int MAX_TEXT_CHARS = 16_000;
    /** Longest accepted client {@code metadata}, in chars of its JSON text; it is echoed back. */
    public static final int MAX_METADATA_CHARS = 16_384;
    /** §13.3: most events in one replay batch. */
    public static final int MAX_EVENTS_PER_BATCH = 100;

    private Limits() {
    }
}
