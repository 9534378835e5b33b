package dev.parley.server.store.sqlite;

import dev.parley.server.store.HistoryHit;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snippet of a matching message, cut and marked in Java from the stored text. FTS5's own
 * {@code snippet()} re-runs the whole query for every row it is asked about, which for a common
 * word costs a scan of its postings per result; this reads one row by key instead. Words match as
 * FTS5 matched them: case and diacritics folded, each query word a prefix.
 */
final class PrefixSnippet {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final int BEFORE = 6;
    private static final int TOKENS = 18;

    private PrefixSnippet() {
    }

    static String of(String body, String text) {
        List<String> words = new ArrayList<>();
        for (String w : Fts5Query.words(text)) {
            words.add(fold(w));
        }
        List<int[]> tokens = new ArrayList<>();
        List<Boolean> hits = new ArrayList<>();
        Matcher m = WORD.matcher(body);
        int first = -1;
        while (m.find()) {
            String token = fold(m.group());
            boolean hit = words.stream().anyMatch(token::startsWith);
            if (hit && first < 0) {
                first = tokens.size();
            }
            tokens.add(new int[] {m.start(), m.end()});
            hits.add(hit);
        }
        if (tokens.isEmpty()) {
            return body;
        }
        int from = Math.max(0, (first < 0 ? 0 : first) - BEFORE);
        int to = Math.min(tokens.size(), from + TOKENS);
        StringBuilder out = new StringBuilder();
        int start = from == 0 ? 0 : tokens.get(from)[0];
        int end = to == tokens.size() ? body.length() : tokens.get(to - 1)[1];
        if (from > 0) {
            out.append('\u2026');
        }
        int at = start;
        for (int i = from; i < to; i++) {
            int[] t = tokens.get(i);
            out.append(body, at, t[0]);
            if (hits.get(i)) {
                out.append(HistoryHit.MARK_START).append(body, t[0], t[1]).append(HistoryHit.MARK_END);
            } else {
                out.append(body, t[0], t[1]);
            }
            at = t[1];
        }
        out.append(body, at, end);
        if (end < body.length()) {
            out.append('\u2026');
        }
        return out.toString();
    }

    /** Whether every word of {@code text} starts some word of {@code body} (as the FTS5 query matched). */
    static boolean matchesAll(String body, String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = WORD.matcher(body);
        while (m.find()) {
            tokens.add(fold(m.group()));
        }
        return Fts5Query.words(text).stream().map(PrefixSnippet::fold)
                .allMatch(w -> tokens.stream().anyMatch(t -> t.startsWith(w)));
    }

    private static String fold(String word) {
        return MARKS.matcher(Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)).replaceAll("");
    }
}
