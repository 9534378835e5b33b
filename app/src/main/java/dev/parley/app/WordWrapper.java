package dev.parley.app;

import java.io.PrintWriter;

/**
 * Writes text that may arrive in pieces (a streamed reply) so lines break between words, never
 * inside one, continuing wrapped lines under the text rather than under the speaker's name. A word
 * is held back until the whitespace after it (or {@link #finish()}) shows it is whole. Width 0
 * writes the text unchanged.
 */
final class WordWrapper {
    private final PrintWriter out;
    private final int width;
    private final int indent;
    private final StringBuilder word = new StringBuilder();
    private int column;
    private boolean space;
    /** Nothing written on this line yet (after the prefix or the indent): no gap, no break before a word. */
    private boolean fresh = true;

    /**
     * @param startColumn where the cursor is (after a prefix such as {@code "Ada: "})
     * @param indent      where continuation lines start
     */
    WordWrapper(PrintWriter out, int width, int startColumn, int indent) {
        this.out = out;
        this.width = width;
        this.column = startColumn;
        this.indent = indent;
    }

    void append(CharSequence text) {
        if (width <= 0) {
            out.append(text);
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                flushWord();
                out.println();
                out.print(" ".repeat(indent));
                column = indent;
                space = false;
                fresh = true;
            } else if (Character.isWhitespace(c)) {
                flushWord();
                space = true;
            } else {
                word.append(c);
            }
        }
    }

    /** Writes the word held back; the caller ends the line. */
    void finish() {
        flushWord();
    }

    private void flushWord() {
        if (word.length() == 0) {
            return;
        }
        boolean gap = space && !fresh;
        if (!fresh && column + (gap ? 1 : 0) + word.length() > width) {
            out.println();
            out.print(" ".repeat(indent));
            column = indent;
            gap = false;
        }
        if (gap) {
            out.print(' ');
            column++;
        }
        out.print(word);
        column += word.length();
        word.setLength(0);
        space = false;
        fresh = false;
    }
}
