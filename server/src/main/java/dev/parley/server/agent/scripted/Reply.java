package dev.parley.server.agent.scripted;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatCallAction;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.MessageOptions;
import java.util.List;
import java.util.Objects;

/**
 * One agent message of a flow: its text plus the cards, quick replies and call buttons that close
 * it; {@code endConversation} makes it the closing message (the session ends after it).
 */
public record Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions,
                    List<ChatCallAction> callActions, boolean endConversation) {

    public Reply {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
        suggestions = List.copyOf(suggestions);
        callActions = List.copyOf(callActions);
    }

    public Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions) {
        this(text, attachments, suggestions, List.of(), false);
    }

    public static Reply of(String text) {
        return new Reply(text, List.of(), List.of());
    }

    /** The options the sink is given; {@code closing} also when the intent's action is {@code end}. */
    MessageOptions options(boolean closing) {
        return new MessageOptions(callActions, endConversation || closing);
    }
}
