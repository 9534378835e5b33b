package dev.parley.protocol.payload;

import dev.parley.protocol.*;
import java.util.List;

/** Payload of {@code EVENT_TYPE_LIVE_AGENT_MESSAGE}. A message from the human agent (§6.2). */
public record LiveAgentMessage(String messageId, String agentId, String text, List<Attachment> attachments, List<Suggestion> responseSuggestions) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.LIVE_AGENT_MESSAGE;
    }
}
