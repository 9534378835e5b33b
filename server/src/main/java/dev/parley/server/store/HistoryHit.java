package dev.parley.server.store;

/**
 * A conversation found in the history, with the part of its first matching message that matched.
 *
 * @param snippet null without a text query; else the text around the match with each matched word
 *                between {@link #MARK_START} and {@link #MARK_END} (control characters that no
 *                message text is shown with, so the desk can highlight without parsing markup)
 */
public record HistoryHit(SessionSummary summary, String snippet) {
    public static final char MARK_START = '\u0002';
    public static final char MARK_END = '\u0003';
}
