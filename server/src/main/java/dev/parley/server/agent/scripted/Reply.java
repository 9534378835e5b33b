package dev.parley.server.agent.scripted;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.LanguageTag;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One agent message of a flow: its text plus the cards and quick replies that close it, and
 * optionally the same message in other languages ({@code translations}, keyed by canonical BCP-47
 * tag); the untranslated fields are the flow's default language.
 */
public record Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions,
                    Map<String, Reply> translations) {

    public Reply {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
        suggestions = List.copyOf(suggestions);
        translations = Map.copyOf(translations);
    }

    public Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions) {
        this(text, attachments, suggestions, Map.of());
    }

    public static Reply of(String text) {
        return new Reply(text, List.of(), List.of());
    }

    /**
     * This message in {@code language}: the translation for the exact tag, else for its language
     * alone ({@code fr} serves {@code fr-CA}), else the default one. A null language is the default.
     */
    public Reply in(String language) {
        if (language == null || translations.isEmpty()) {
            return this;
        }
        Reply exact = translations.get(language);
        if (exact != null) {
            return exact;
        }
        return translations.getOrDefault(LanguageTag.primary(language), this);
    }
}
