package dev.parley.server.agent.scripted;

import dev.parley.server.agent.HandoffRequest;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Something a user may want, recognised by whole-word {@code keywords} or regex {@code patterns},
 * answered with {@code reply} and optionally followed by an {@link Action}.
 *
 * @param patterns compiled case-insensitively; matched with {@link java.util.regex.Matcher#find()}
 * @param reply {@code null} only when the action speaks for itself (end or handoff)
 * @param handoff set exactly when {@code action} is {@link Action#HANDOFF}
 * @param language the BCP-47 tag the conversation switches to before the reply, or {@code null}
 */
public record Intent(
        String name,
        List<String> keywords,
        List<Pattern> patterns,
        Reply reply,
        Action action,
        HandoffRequest handoff,
        String language) {

    /** What the agent does after the reply. */
    public enum Action {
        NONE, END, HANDOFF
    }

    public Intent(String name, List<String> keywords, List<Pattern> patterns, Reply reply, Action action,
                  HandoffRequest handoff) {
        this(name, keywords, patterns, reply, action, handoff, null);
    }

    public Intent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        keywords = List.copyOf(keywords);
        patterns = List.copyOf(patterns);
        if ((action == Action.HANDOFF) != (handoff != null)) {
            throw new IllegalArgumentException("handoff must be set exactly when action is HANDOFF");
        }
        if (action == Action.NONE && reply == null) {
            throw new IllegalArgumentException("an intent without action needs a reply");
        }
    }
}
