package dev.parley.protocol;

/** {@code SYSTEM_MESSAGE} levels (PROTOCOL.md §6.4). */
public enum SystemLevel {
    SYSTEM_MESSAGE_LEVEL_INFO,
    SYSTEM_MESSAGE_LEVEL_WARNING,
    SYSTEM_MESSAGE_LEVEL_ERROR
}
