package dev.parley.server.agent;

/**
 * Re-cuts streamed text so every chunk ends at the end of a word and the space between two words
 * opens the next chunk ({@code "Hello"}, {@code " world"}, {@code " again."}). Chunks still carry
 * their own spacing and concatenate to the exact text (PROTOCOL.md §7), and a client that joins
 * chunks with a space instead, as PolyAI's official SDKs do when they assemble a finished stream,
 * reads whole words with one extra space, never two words glued together or one word split.
 *
 * <p>Text with no space for {@value #MAX_HELD} characters (scripts written without spaces, long
 * URLs) is let through anyway, so such a reply still streams. Not thread-safe: one per turn, used
 * under the turn's lock.
 */
public final class StreamCutter {
    static final int MAX_HELD = 80;

    private final StringBuilder held = new StringBuilder();

    /** Takes a model delta; returns what can be sent now (possibly empty). */
    public String add(String delta) {
        held.append(delta);
        int cut = lastWordEnd();
        if (cut <= 0 && held.length() >= MAX_HELD) {
            cut = held.length();
            if (Character.isHighSurrogate(held.charAt(cut - 1))) {
                cut--; // never split a code point
            }
        }
        if (cut <= 0) {
            return "";
        }
        String ready = held.substring(0, cut);
        held.delete(0, cut);
        return ready;
    }

    /** What is still held, at the end of the message; empty when nothing is. */
    public String flush() {
        String rest = held.toString();
        held.setLength(0);
        return rest;
    }

    /** Index of the whitespace that follows the last complete word, or 0 when no word is complete yet. */
    private int lastWordEnd() {
        for (int i = held.length() - 1; i > 0; i--) {
            if (Character.isWhitespace(held.charAt(i)) && !Character.isWhitespace(held.charAt(i - 1))) {
                return i;
            }
        }
        return 0;
    }
}
