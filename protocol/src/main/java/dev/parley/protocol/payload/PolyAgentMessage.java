package dev.parley.protocol.payload;

import dev.parley.protocol.*;
import java.util.List;

/** Payload of {@code EVENT_TYPE_POLY_AGENT_MESSAGE}. A whole AI reply (§6.1). */
public record PolyAgentMessage(String messageId, String text, List<Attachment> attachments, List<Suggestion> responseSuggestions) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.POLY_AGENT_MESSAGE;
    }
}
