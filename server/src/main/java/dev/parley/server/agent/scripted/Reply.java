package dev.parley.server.agent.scripted;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatCallAction;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.LanguageTag;
import dev.parley.server.agent.MessageOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One agent message of a flow: its text plus the cards, quick replies and call buttons that close
 * it; {@code endConversation} makes it the closing message (the session ends after it). Optionally
 * the same message in other languages ({@code translations}, keyed by canonical BCP-47 tag); the
 * untranslated fields are the flow's default language.
 */
public record Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions,
                    List<ChatCallAction> callActions, boolean endConversation, Map<String, Reply> translations) {

    public Reply {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
        suggestions = List.copyOf(suggestions);
        callActions = List.copyOf(callActions);
        translations = Map.copyOf(translations);
    }

    public Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions) {
        this(text, attachments, suggestions, List.of(), false, Map.of());
    }

    public Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions,
                 Map<String, Reply> translations) {
        this(text, attachments, suggestions, List.of(), false, translations);
    }

    public Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions,
                 List<ChatCallAction> callActions, boolean endConversation) {
        this(text, attachments, suggestions, callActions, endConversation, Map.of());
    }

    public static Reply of(String text) {
        return new Reply(text, List.of(), List.of());
    }

    /**
     * This message in {@code language}: the translation for the exact tag, else for its language
     * alone ({@code fr} serves {@code fr-CA}), else the default one. A null language is the default.
     * A translation without call buttons keeps the default's, and a closing message stays closing.
     */
    public Reply in(String language) {
        if (language == null || translations.isEmpty()) {
            return this;
        }
        Reply translated = translations.get(language);
        if (translated == null) {
            translated = translations.get(LanguageTag.primary(language));
        }
        if (translated == null) {
            return this;
        }
        return new Reply(translated.text, translated.attachments, translated.suggestions,
                translated.callActions.isEmpty() ? callActions : translated.callActions,
                endConversation || translated.endConversation, Map.of());
    }

    /** The options the sink is given; {@code closing} also when the intent's action is {@code end}. */
    MessageOptions options(boolean closing) {
        return new MessageOptions(callActions, endConversation || closing);
    }
}
