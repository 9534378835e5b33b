package dev.parley.protocol.payload;

import dev.parley.protocol.*;
import java.util.List;

/** Payload of {@code EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK}. One fragment of a streamed AI reply; chunkIndex is 1-based (§7). */
public record PolyAgentMessageChunk(String messageId, String text, List<Attachment> attachments, List<Suggestion> responseSuggestions, int chunkIndex, boolean isComplete) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.POLY_AGENT_MESSAGE_CHUNK;
    }
}
