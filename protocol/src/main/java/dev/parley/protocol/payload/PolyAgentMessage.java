package dev.parley.protocol.payload;

import dev.parley.protocol.*;
import java.util.List;

/**
 * Payload of {@code EVENT_TYPE_POLY_AGENT_MESSAGE}. A whole AI reply (§6.1). Additive extensions
 * the official SDKs decode: {@code agentName} and {@code avatarUrl} (the agent's profile),
 * {@code chatCallActions} (absent unless the agent offers one) and {@code endConversation} (absent
 * unless {@code true}: this is the closing message, a {@code SESSION_END} follows).
 */
public record PolyAgentMessage(String messageId, String text, List<Attachment> attachments,
                               List<Suggestion> responseSuggestions, String agentName, String avatarUrl,
                               List<ChatCallAction> chatCallActions, Boolean endConversation)
        implements ServerPayload {
    public PolyAgentMessage(String messageId, String text, List<Attachment> attachments,
                            List<Suggestion> responseSuggestions) {
        this(messageId, text, attachments, responseSuggestions, null, null, null, null);
    }

    @Override
    public EventType type() {
        return EventType.POLY_AGENT_MESSAGE;
    }
}
