package dev.parley.protocol;

/** A quick reply; tapping it sends {@code messageText} as a user message (PROTOCOL.md §8). */
public record Suggestion(String messageText) {
    public static Suggestion of(String messageText) {
        return new Suggestion(messageText);
    }
}
