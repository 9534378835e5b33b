package dev.parley.server;

import dev.parley.server.desk.ConversationControl;
import dev.parley.server.desk.DeskAgent;
import java.util.Objects;

/**
 * Breaks the desk/registry cycle in the composition root: the desk is built first (sessions need it
 * as their {@code LiveAgentDesk}), and its way back to the sessions is bound once the registry
 * exists. The desk only calls this from its own executor after start-up has bound it; a call before
 * that is a wiring bug and fails loudly.
 */
final class DeferredConversationControl implements ConversationControl {
    private volatile ConversationControl target;

    void bind(ConversationControl value) {
        if (target != null) {
            throw new IllegalStateException("conversation control already bound");
        }
        target = Objects.requireNonNull(value);
    }

    private ConversationControl target() {
        ConversationControl t = target;
        if (t == null) {
            throw new IllegalStateException("desk used before the session registry was bound");
        }
        return t;
    }

    @Override
    public void queueStatus(String sessionId, String queue, int position, int estimatedWaitSeconds) {
        target().queueStatus(sessionId, queue, position, estimatedWaitSeconds);
    }

    @Override
    public void liveAgentJoined(String sessionId, DeskAgent agent) {
        target().liveAgentJoined(sessionId, agent);
    }


    @Override
    public void liveAgentFinished(String sessionId) {
        target().liveAgentFinished(sessionId);
    }

    @Override
    public void handoffTimedOut(String sessionId) {
        target().handoffTimedOut(sessionId);
    }

    @Override
    public void handoffFailed(String sessionId) {
        target().handoffFailed(sessionId);
    }
}
