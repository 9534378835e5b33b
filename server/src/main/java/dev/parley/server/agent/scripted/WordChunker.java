package dev.parley.server.agent.scripted;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a text into stream deltas of a few words each. Each delta keeps the whitespace after its
 * last word, so the deltas concatenate back to the original text exactly.
 */
final class WordChunker {
    private static final Pattern WORD_AND_SPACE = Pattern.compile("\\S+\\s*");

    private WordChunker() {
    }

    /** Deltas of {@code wordsPerDelta} words (the last may have fewer); none for an empty text. */
    static List<String> split(String text, int wordsPerDelta) {
        if (wordsPerDelta < 1) {
            throw new IllegalArgumentException("wordsPerDelta must be positive: " + wordsPerDelta);
        }
        List<String> deltas = new ArrayList<>();
        Matcher words = WORD_AND_SPACE.matcher(text);
        int start = 0;
        int count = 0;
        while (words.find()) {
            count++;
            if (count % wordsPerDelta == 0) {
                deltas.add(text.substring(start, words.end()));
                start = words.end();
            }
        }
        // The rest: the last words, or leading whitespace of a text that has no words at all.
        if (start < text.length()) {
            deltas.add(text.substring(start));
        }
        return deltas;
    }
}
