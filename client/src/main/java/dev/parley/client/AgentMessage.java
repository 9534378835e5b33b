package dev.parley.client;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.Suggestion;
import java.util.List;

/**
 * A whole agent message: an AI reply received in one piece, an AI reply reassembled from its
 * streamed chunks (PROTOCOL.md §7), or a live agent's message.
 *
 * @param messageId   the server's message id, shared by all chunks of a streamed reply
 * @param agentId     the live agent's id, {@code null} for the AI agent
 * @param text        the full text
 * @param attachments rich cards, in arrival order
 * @param suggestions quick replies; send one back with {@link Conversation#send(String)}
 */
public record AgentMessage(
        String messageId, String agentId, String text, List<Attachment> attachments, List<Suggestion> suggestions) {

    public AgentMessage {
        text = text == null ? "" : text;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
    }

    /** True when a live (human) agent wrote it. */
    public boolean fromLiveAgent() {
        return agentId != null;
    }
}
