package dev.parley.server.agent.scripted;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Text cut into the pieces keywords are compared by: each maximal run of word characters is one
 * token, each other visible character is a token of its own, and whitespace only separates tokens.
 * Tokens are case-folded, so comparing two of them is one {@code equals}.
 *
 * <p>This reproduces what the former per-keyword regex {@code (?<!w)k1\s+k2(?!w)} matched (with
 * {@code CASE_INSENSITIVE | UNICODE_CASE}): word characters are letters, digits and marks of any
 * script plus underscore; whitespace is what {@code \s} means without Unicode classes.
 */
final class Words {
    /** One piece of text. {@code spaceBefore}: whitespace separates it from the previous token. */
    record Token(String folded, boolean word, boolean spaceBefore) {
    }

    private Words() {
    }

    /** The tokens of {@code text}, after the same normalisation for user text and keywords. */
    static List<Token> of(String text) {
        String normalized = normalize(text);
        List<Token> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean space = false;
        boolean wordSpace = false;
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            i += Character.charCount(c);
            if (isWordChar(c)) {
                if (word.isEmpty()) {
                    wordSpace = space;
                }
                word.appendCodePoint(fold(c));
                space = false;
                continue;
            }
            if (!word.isEmpty()) {
                tokens.add(new Token(word.toString(), true, wordSpace));
                word.setLength(0);
            }
            if (isSpace(c)) {
                space = true;
            } else {
                tokens.add(new Token(new String(Character.toChars(fold(c))), false, space));
                space = false;
            }
        }
        if (!word.isEmpty()) {
            tokens.add(new Token(word.toString(), true, wordSpace));
        }
        return tokens;
    }

    /**
     * Phones type curly apostrophes and may send decomposed accents; folding both lets "that’s"
     * match the keyword "that's" and "café" match "café" however it was typed.
     */
    static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).replace('\u2019', '\'').replace('\u2018', '\'');
    }

    /** {@code [\p{L}\p{N}\p{M}_]}. */
    static boolean isWordChar(int c) {
        if (c == '_') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                    Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> true;
            default -> false;
        };
    }

    /** {@code \s} without {@code UNICODE_CHARACTER_CLASS}: a no-break space is not whitespace there either. */
    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * One code point to one code point, as {@code UNICODE_CASE} compares them: "ı", "I" and "i"
     * all fold to "i". {@code String.toLowerCase} would not do, it may change the length.
     */
    private static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
