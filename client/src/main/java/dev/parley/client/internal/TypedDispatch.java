package dev.parley.client.internal;

import dev.parley.client.AgentMessage;
import dev.parley.client.Conversation;
import dev.parley.client.ConversationListener;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.payload.*;

/**
 * Calls the typed {@link ConversationListener} method for one delivered event; streamed chunks go
 * through the {@link StreamAssembler}. Echoes and {@code SESSION_START} have no typed method:
 * they surface through {@code onEvent} and delivery receipts. Conversation thread only.
 */
final class TypedDispatch {
    private final Conversation conversation;
    private final ConversationListener listener;
    private final StreamAssembler assembler = new StreamAssembler(32);

    TypedDispatch(Conversation conversation, ConversationListener listener) {
        this.conversation = conversation;
        this.listener = listener;
    }

    void dispatch(ServerEvent event) {
        Conversation c = conversation;
        ServerPayload p = event.payload();
        if (p instanceof PolyAgentJoined j) {
            listener.onAgentJoined(c, j.agentName(), j.agentAvatarUrl());
        } else if (p instanceof PolyAgentThinking) {
            listener.onAgentThinking(c);
        } else if (p instanceof PolyAgentMessage m) {
            listener.onAgentMessage(c, new AgentMessage(m.messageId(), null, m.text(), m.attachments(), m.responseSuggestions()));
        } else if (p instanceof PolyAgentMessageChunk chunk) {
            assembler.accept(chunk).ifPresent(progress -> {
                listener.onPartialMessage(c, progress.messageId(), progress.textSoFar());
                if (progress.completed() != null) {
                    listener.onAgentMessage(c, progress.completed());
                }
            });
        } else if (p instanceof PolyAgentLeft) {
            listener.onAgentLeft(c);
        } else if (p instanceof PolyAgentTriggeredHandoff) {
            listener.onHandoffTriggered(c);
        } else if (p instanceof LiveAgentJoined j) {
            listener.onLiveAgentJoined(c, j.agent());
        } else if (p instanceof LiveAgentTyping t) {
            listener.onLiveAgentTyping(c, t.agentId(), t.state() == TypingState.TYPING_STATE_STARTED);
        } else if (p instanceof LiveAgentMessage m) {
            listener.onLiveAgentMessage(c, new AgentMessage(m.messageId(), m.agentId(), m.text(), m.attachments(), m.responseSuggestions()));
        } else if (p instanceof LiveAgentLeft) {
            listener.onLiveAgentLeft(c);
        } else if (p instanceof HandoffAccepted) {
            listener.onHandoffAccepted(c);
        } else if (p instanceof HandoffQueueStatus q) {
            listener.onQueueStatus(c, q.queueName(), q.positionInQueue(), q.estimatedWaitSeconds());
        } else if (p instanceof ClientHandoffRequired h) {
            listener.onClientHandoffRequired(c, h.reason(), h.queueName());
        } else if (p instanceof HandoffFailed) {
            listener.onHandoffFailed(c);
        } else if (p instanceof HandoffTimeout) {
            listener.onHandoffTimeout(c);
        } else if (p instanceof SystemMessage s) {
            listener.onSystemMessage(c, s.level(), s.message());
        } else if (p instanceof LanguageChanged l) {
            listener.onLanguageChanged(c, l.languageCode());
        } else if (p instanceof SessionIdleWarning w) {
            listener.onIdleWarning(c, w.secondsRemaining());
        } else if (p instanceof SessionEnd e) {
            listener.onSessionEnded(c, e.reason());
        }
    }
}
