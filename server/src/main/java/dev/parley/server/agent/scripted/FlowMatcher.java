package dev.parley.server.agent.scripted;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Picks the intent for a user message: the first intent, in file order, with a keyword found as a
 * whole word or a pattern found anywhere, both ignoring case.
 *
 * <p>Keywords are looked up, not searched for: the message is cut into words once and the words
 * are looked up in a {@link KeywordIndex} built at load time. Only the regexes the flow itself
 * declares as {@code patterns} run, and only for intents ahead of the best keyword match.
 */
public final class FlowMatcher {
    private final List<Intent> intents;
    private final KeywordIndex keywords;
    /** Positions of the intents that have patterns, in file order. */
    private final int[] withPatterns;

    public FlowMatcher(Flow flow) {
        this.intents = flow.intents();
        this.keywords = new KeywordIndex(intents);
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < intents.size(); i++) {
            if (!intents.get(i).patterns().isEmpty()) {
                positions.add(i);
            }
        }
        this.withPatterns = positions.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The matching intent, or empty when the fallback should answer. */
    public Optional<Intent> match(String text) {
        int best = keywords.firstIntent(Words.of(text), KeywordIndex.NONE);
        String normalized = null;
        for (int position : withPatterns) {
            if (position >= best) {
                break;
            }
            if (normalized == null) {
                normalized = Words.normalize(text);
            }
            if (anyFound(intents.get(position).patterns(), normalized)) {
                best = position;
                break;
            }
        }
        return best == KeywordIndex.NONE ? Optional.empty() : Optional.of(intents.get(best));
    }

    private static boolean anyFound(List<Pattern> patterns, String text) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
