package dev.parley.server.agent;

import dev.parley.protocol.ChatCallAction;
import java.util.List;

/**
 * What an agent may add to a message beyond text, cards and quick replies; both are additive
 * extensions the official SDKs decode on AI messages.
 *
 * @param callActions     "call us" buttons ({@code chat_call_actions}); empty means none is sent
 * @param endConversation the message closes the conversation: it carries {@code end_conversation: true}
 *                        and the session ends with {@code REASON_NATURAL_END} right after it
 */
public record MessageOptions(List<ChatCallAction> callActions, boolean endConversation) {
    public static final MessageOptions NONE = new MessageOptions(List.of(), false);

    public MessageOptions {
        callActions = List.copyOf(callActions);
    }

    public boolean isNone() {
        return callActions.isEmpty() && !endConversation;
    }
}
