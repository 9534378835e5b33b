package dev.parley.server.agent.scripted;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.Suggestion;
import java.util.List;
import java.util.Objects;

/** One agent message of a flow: its text plus the cards and quick replies that close it. */
public record Reply(String text, List<Attachment> attachments, List<Suggestion> suggestions) {

    public Reply {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
        suggestions = List.copyOf(suggestions);
    }

    public static Reply of(String text) {
        return new Reply(text, List.of(), List.of());
    }
}
