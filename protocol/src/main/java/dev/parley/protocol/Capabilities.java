package dev.parley.protocol;

/** What {@code SESSION_START} advertises (PROTOCOL.md §6.4). */
public record Capabilities(
        boolean streaming,
        int maxMessageSizeBytes,
        int maxReconnectAttempts,
        int heartbeatIntervalSeconds) {

    public static Capabilities of(boolean streaming, int heartbeatIntervalSeconds) {
        return new Capabilities(streaming, Limits.MAX_MESSAGE_SIZE_BYTES,
                Limits.DEFAULT_MAX_RECONNECT_ATTEMPTS, heartbeatIntervalSeconds);
    }
}
