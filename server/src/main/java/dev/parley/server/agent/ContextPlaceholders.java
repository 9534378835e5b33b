package dev.parley.server.agent;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{context.KEY}}} in a flow reply or a system prompt with the verified context's
 * value for KEY, or nothing when the conversation has no such verified value: a placeholder never
 * shows unverified text, and never shows itself to the user.
 */
public final class ContextPlaceholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*context\\.([A-Za-z0-9_.-]+)\\s*}}");

    private ContextPlaceholders() {
    }

    public static String fill(String text, Map<String, Object> context) {
        if (text == null || text.indexOf("{{") < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = context.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
