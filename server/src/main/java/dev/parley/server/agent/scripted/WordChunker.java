package dev.parley.server.agent.scripted;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a text into stream deltas of a few words each, at word ends: the whitespace between two
 * groups opens the next delta ({@code "Hello there,"}, {@code " how can"}, {@code " I help?"}). The
 * deltas concatenate back to the original text exactly, and a client that joins them with a space
 * (the official SDKs do when they assemble a finished stream) still reads whole words.
 */
final class WordChunker {
    /** Leading whitespace, then one word. */
    private static final Pattern SPACE_AND_WORD = Pattern.compile("\\s*\\S+");

    private WordChunker() {
    }

    /** Deltas of {@code wordsPerDelta} words (the last may have fewer); none for an empty text. */
    static List<String> split(String text, int wordsPerDelta) {
        if (wordsPerDelta < 1) {
            throw new IllegalArgumentException("wordsPerDelta must be positive: " + wordsPerDelta);
        }
        List<String> deltas = new ArrayList<>();
        Matcher words = SPACE_AND_WORD.matcher(text);
        int start = 0;
        int count = 0;
        while (words.find()) {
            count++;
            if (count % wordsPerDelta == 0) {
                deltas.add(text.substring(start, words.end()));
                start = words.end();
            }
        }
        // The rest: the last words, or trailing whitespace (all of a text that has no words at all).
        if (start < text.length()) {
            deltas.add(text.substring(start));
        }
        return deltas;
    }
}
