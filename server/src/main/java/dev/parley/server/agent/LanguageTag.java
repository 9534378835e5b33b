package dev.parley.server.agent;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The BCP-47 tags an agent may switch a conversation to ({@code EVENT_TYPE_LANGUAGE_CHANGED},
 * PROTOCOL.md §6.4): a 2–3 letter language, then optional subtags such as a region, in their
 * canonical case ({@code fr}, {@code fr-FR}, {@code zh-Hant-TW}). Anything else is refused where it
 * comes in (flow file, LLM tool call, webhook reply), so clients only ever see a usable tag.
 */
public final class LanguageTag {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final int MAX_LENGTH = 35;

    private LanguageTag() {
    }

    /** The canonical form of {@code text}, or empty when it is not a usable tag. */
    public static Optional<String> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String tag = text.strip().replace('_', '-');
        if (tag.length() > MAX_LENGTH || !SHAPE.matcher(tag).matches()) {
            return Optional.empty();
        }
        Locale locale = Locale.forLanguageTag(tag);
        String canonical = locale.toLanguageTag();
        return locale.getLanguage().isEmpty() || canonical.equals("und") ? Optional.empty() : Optional.of(canonical);
    }

    /** The language subtag alone: {@code fr} for {@code fr-FR}. */
    public static String primary(String tag) {
        int dash = tag.indexOf('-');
        return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
    }
}
