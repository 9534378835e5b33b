package dev.parley.server.agent.scripted;

import dev.parley.server.agent.scripted.Words.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every keyword of a flow, indexed by its first token, so a message is scanned once whatever the
 * number of keywords: each token of the message costs one map lookup plus a check of the few
 * keywords that start with it.
 */
final class KeywordIndex {
    /** No intent matched. */
    static final int NONE = Integer.MAX_VALUE;

    private final Map<String, List<Keyword>> byFirstToken = new HashMap<>();

    /** A keyword's tokens and the position of its intent in the flow. */
    private record Keyword(List<Token> tokens, int intent) {
    }

    KeywordIndex(List<Intent> intents) {
        for (int i = 0; i < intents.size(); i++) {
            for (String keyword : intents.get(i).keywords()) {
                List<Token> tokens = tokens(keyword);
                if (tokens.isEmpty()) {
                    throw new IllegalArgumentException("keyword \"" + keyword + "\" has nothing to match");
                }
                byFirstToken.computeIfAbsent(tokens.get(0).folded(), t -> new ArrayList<>())
                        .add(new Keyword(tokens, i));
            }
        }
    }

    /** A keyword's tokens; surrounding spaces and control characters do not count, as they never did. */
    static List<Token> tokens(String keyword) {
        return Words.of(keyword.trim());
    }

    /**
     * The smallest intent position with a keyword in {@code text}, or {@link #NONE}. Stops looking
     * once nothing earlier than {@code limit} can be found.
     */
    int firstIntent(List<Token> text, int limit) {
        int best = limit;
        for (int i = 0; i < text.size() && best > 0; i++) {
            List<Keyword> candidates = byFirstToken.get(text.get(i).folded());
            if (candidates == null) {
                continue;
            }
            for (Keyword keyword : candidates) {
                if (keyword.intent() < best && matchesAt(keyword.tokens(), text, i)) {
                    best = keyword.intent();
                }
            }
        }
        return best;
    }

    /**
     * Same tokens with the same gaps (none, or any whitespace), and not glued to a word on either
     * side. A keyword that starts or ends with a word needs no check there: word tokens are whole
     * runs of word characters, so an equal token is never part of a longer word.
     */
    private static boolean matchesAt(List<Token> keyword, List<Token> text, int start) {
        int end = start + keyword.size();
        if (end > text.size()) {
            return false;
        }
        for (int j = 0; j < keyword.size(); j++) {
            Token expected = keyword.get(j);
            Token actual = text.get(start + j);
            if (!expected.folded().equals(actual.folded()) || (j > 0 && expected.spaceBefore() != actual.spaceBefore())) {
                return false;
            }
        }
        Token first = text.get(start);
        if (!first.word() && !first.spaceBefore() && start > 0 && text.get(start - 1).word()) {
            return false;
        }
        boolean lastIsWord = keyword.get(keyword.size() - 1).word();
        return lastIsWord || end == text.size() || text.get(end).spaceBefore() || !text.get(end).word();
    }
}
