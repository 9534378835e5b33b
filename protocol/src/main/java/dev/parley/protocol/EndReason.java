package dev.parley.protocol;

/** {@code SESSION_END} reasons (PROTOCOL.md §6.4). */
public enum EndReason {
    REASON_USER_END,
    REASON_USER_ABANDONED,
    REASON_NATURAL_END
}
