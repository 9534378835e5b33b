package dev.parley.server;

import dev.parley.server.desk.ConversationControl;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.session.DeskToSession;
import dev.parley.server.session.SessionRegistry;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the desk to conversations: each call becomes a command of the session's actor, here or
 * — on several nodes — on the node that owns the session ({@link SessionRegistry#deskCommand}).
 */
final class SessionConversationControl implements ConversationControl {
    private static final Logger LOG = LoggerFactory.getLogger(SessionConversationControl.class);
    private final SessionRegistry sessions;

    SessionConversationControl(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /**
     * Waits until the command is queued on the actor (it may have to be rebuilt from the journal,
     * e.g. after a restart) or handed to the owner's node topic, so that commands reach the session
     * in the order the desk issued them. Runs on the desk thread, never an event loop.
     */
    private void on(String sessionId, DeskToSession command) {
        try {
            sessions.deskCommand(sessionId, command).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("desk command for session {} not delivered", sessionId, e);
        }
    }

    @Override
    public void queueStatus(String sessionId, String queue, int position, int estimatedWaitSeconds) {
        on(sessionId, DeskToSession.queueStatus(queue, position, estimatedWaitSeconds));
    }

    @Override
    public void liveAgentJoined(String sessionId, DeskAgent agent) {
        on(sessionId, DeskToSession.agentJoined(agent.id(), agent.name(), agent.avatarUrl()));
    }

    @Override
    public void liveAgentFinished(String sessionId) {
        on(sessionId, DeskToSession.of(DeskToSession.Op.AGENT_FINISHED));
    }

    @Override
    public void handoffTimedOut(String sessionId) {
        on(sessionId, DeskToSession.of(DeskToSession.Op.TIMED_OUT));
    }

    @Override
    public void handoffFailed(String sessionId) {
        on(sessionId, DeskToSession.of(DeskToSession.Op.FAILED));
    }
}
