package dev.parley.protocol.payload;

import dev.parley.protocol.*;
import java.util.List;

/**
 * Payload of {@code EVENT_TYPE_LIVE_AGENT_MESSAGE}. A message from the human agent (§6.2).
 * {@code agentName} and {@code avatarUrl} are additive extensions the official SDKs decode (they
 * name the bubble and replace the AI's avatar).
 */
public record LiveAgentMessage(String messageId, String agentId, String text, List<Attachment> attachments,
                               List<Suggestion> responseSuggestions, String agentName, String avatarUrl)
        implements ServerPayload {
    public LiveAgentMessage(String messageId, String agentId, String text, List<Attachment> attachments,
                            List<Suggestion> responseSuggestions) {
        this(messageId, agentId, text, attachments, responseSuggestions, null, null);
    }

    @Override
    public EventType type() {
        return EventType.LIVE_AGENT_MESSAGE;
    }
}
