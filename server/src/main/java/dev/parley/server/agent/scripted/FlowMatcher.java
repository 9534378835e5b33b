package dev.parley.server.agent.scripted;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Picks the intent for a user message: the first intent, in file order, with a keyword found as a
 * whole word or a pattern found anywhere, both ignoring case.
 */
public final class FlowMatcher {
    /** Letters, digits and marks of any script (plus underscore) make up words. */
    private static final String WORD_CHAR = "[\\p{L}\\p{N}\\p{M}_]";

    private final List<Rule> rules;

    /** All of an intent's keywords and patterns, compiled once. */
    private record Rule(Intent intent, List<Pattern> patterns) {
    }

    public FlowMatcher(Flow flow) {
        List<Rule> compiled = new ArrayList<>();
        for (Intent intent : flow.intents()) {
            List<Pattern> patterns = new ArrayList<>();
            intent.keywords().forEach(keyword -> patterns.add(keywordPattern(keyword)));
            patterns.addAll(intent.patterns());
            compiled.add(new Rule(intent, List.copyOf(patterns)));
        }
        this.rules = List.copyOf(compiled);
    }

    /** The matching intent, or empty when the fallback should answer. */
    public Optional<Intent> match(String text) {
        String normalized = normalize(text);
        for (Rule rule : rules) {
            for (Pattern pattern : rule.patterns()) {
                if (pattern.matcher(normalized).find()) {
                    return Optional.of(rule.intent());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A keyword, or a phrase of several words separated by any whitespace, that is neither preceded
     * nor followed by a word character. Java's {@code \b} would not do: it treats non-ASCII letters
     * as boundaries unless the whole pattern switches to Unicode character classes.
     */
    static Pattern keywordPattern(String keyword) {
        List<String> words = new ArrayList<>();
        for (String word : normalize(keyword).trim().split("\\s+")) {
            words.add(Pattern.quote(word));
        }
        String regex = "(?<!" + WORD_CHAR + ")" + String.join("\\s+", words) + "(?!" + WORD_CHAR + ")";
        return Pattern.compile(regex, FlowReader.PATTERN_FLAGS);
    }

    /**
     * Phones type curly apostrophes and may send decomposed accents; folding both lets "that’s"
     * match the keyword "that's" and "café" match "café" however it was typed.
     */
    private static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).replace('\u2019', '\'').replace('\u2018', '\'');
    }
}
