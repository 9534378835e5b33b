package dev.parley.protocol;

/** Typing states of {@code USER_TYPING} and {@code LIVE_AGENT_TYPING} (PROTOCOL.md §5.3, §6.2). */
public enum TypingState {
    TYPING_STATE_STARTED,
    TYPING_STATE_STOPPED
}
