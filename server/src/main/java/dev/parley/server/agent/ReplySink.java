package dev.parley.server.agent;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.Suggestion;
import java.util.List;

/**
 * Where an agent writes one turn's answer. Thread-safe; calls are applied in the order made. A
 * message is any number of {@link #text} deltas closed by {@link #complete}; several messages may
 * follow one another, then optionally {@link #handoff} or {@link #end}.
 */
public interface ReplySink {

    /** Appends text to the current message (opening one if none is open). */
    void text(String delta);

    /**
     * Closes the current message, adding attachments and suggestions (they ride on the final chunk
     * when streaming, PROTOCOL.md §7). Opens and closes an empty message if none was open.
     */
    void complete(List<Attachment> attachments, List<Suggestion> suggestions);

    /**
     * Switches the conversation language (a BCP-47 tag, see {@link LanguageTag}): the session journals
     * {@code EVENT_TYPE_LANGUAGE_CHANGED} unless it is the current language already, and later turns
     * see it in {@link Conversation#language()}. An unusable tag is dropped with a warning.
     */
    void language(String languageCode);

    /**
     * Like {@link #complete(List, List)}, with call buttons and the closing flag of {@code options}.
     * The default, for sinks that do not know them, drops the buttons and ends after the message;
     * a sink that wraps another must override this to pass the options on.
     */
    default void complete(List<Attachment> attachments, List<Suggestion> suggestions, MessageOptions options) {
        complete(attachments, suggestions);
        if (options.endConversation()) {
            end(EndReason.REASON_NATURAL_END);
        }
    }

    /** Asks for a human; the session runs the handoff (server- or client-managed). */
    void handoff(HandoffRequest request);

    /** Ends the conversation, e.g. {@code REASON_NATURAL_END} after a closing reply. */
    void end(EndReason reason);

    /**
     * The agent could not answer. {@code userMessage} is one of the documented texts of
     * PROTOCOL.md §11.2; an open streamed message is closed first.
     */
    void fail(String userMessage, Throwable cause);

    /** Convenience for a whole message. */
    default void message(String text, List<Attachment> attachments, List<Suggestion> suggestions) {
        text(text);
        complete(attachments, suggestions);
    }
}
