package dev.parley.client.internal;

import dev.parley.client.ConnectionState;
import dev.parley.client.Conversation;
import dev.parley.client.ConversationListener;
import dev.parley.client.ConversationLostException;
import dev.parley.client.DeliveryStatus;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one conversation's {@link ConversationListener}, one call at a time and never under a lock;
 * what the listener throws is logged, never allowed to break the conversation. Conversation thread
 * only: that confinement is what makes the calls sequential.
 */
final class ListenerCalls {
    // The conversation's logger: these messages are about the conversation, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);

    private final Conversation conversation;
    private final ConversationListener listener;

    ListenerCalls(Conversation conversation, ConversationListener listener) {
        this.conversation = conversation;
        this.listener = listener;
    }

    /** Calls the listener; its exceptions are logged and swallowed. */
    void tell(Consumer<ConversationListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("conversation listener threw", e);
        }
    }

    void stateChanged(ConnectionState state) {
        tell(l -> l.onStateChanged(conversation, state));
    }

    void deliveryStatus(RealOutgoingMessage message, DeliveryStatus status) {
        tell(l -> l.onDeliveryStatus(conversation, message, status));
    }

    void failure(ConversationLostException error) {
        tell(l -> l.onFailure(conversation, error));
    }
}
