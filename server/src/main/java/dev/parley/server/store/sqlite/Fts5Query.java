package dev.parley.server.store.sqlite;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A desk search text as an FTS5 query: every word must occur, each as a prefix ({@code refund}
 * finds "refunds"; SQLite has no stemmer). Built from letters and digits only, each word quoted,
 * so nothing a user types is read as FTS5 syntax (no operators, columns or unbalanced quotes).
 */
final class Fts5Query {
    private Fts5Query() {
    }

    /** The FTS5 query, empty when the text has no word at all. */
    static String of(String text) {
        return words(text).stream().map(w -> "\"" + w + "\"*").collect(Collectors.joining(" "));
    }

    /** The text's words (letters and digits), lower case, at most 16. */
    static java.util.List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty())
                .limit(16)
                .toList();
    }
}
