package dev.parley.protocol.payload;

import dev.parley.protocol.*;
import java.util.List;

/**
 * Payload of {@code EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK}. One fragment of a streamed AI reply;
 * chunkIndex is 1-based (§7). The message-level extensions of {@link PolyAgentMessage} ride on the
 * final chunk only, where attachments and suggestions ride, and are absent on every other chunk.
 */
public record PolyAgentMessageChunk(String messageId, String text, List<Attachment> attachments,
                                    List<Suggestion> responseSuggestions, int chunkIndex, boolean isComplete,
                                    String agentName, String avatarUrl, List<ChatCallAction> chatCallActions,
                                    Boolean endConversation) implements ServerPayload {
    public PolyAgentMessageChunk(String messageId, String text, List<Attachment> attachments,
                                 List<Suggestion> responseSuggestions, int chunkIndex, boolean isComplete) {
        this(messageId, text, attachments, responseSuggestions, chunkIndex, isComplete, null, null, null, null);
    }

    @Override
    public EventType type() {
        return EventType.POLY_AGENT_MESSAGE_CHUNK;
    }
}
