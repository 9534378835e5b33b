package dev.parley.server;

import dev.parley.protocol.LiveAgent;
import dev.parley.server.desk.ConversationControl;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.session.SessionActor;
import dev.parley.server.session.SessionRegistry;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects the desk to conversations: each call becomes a command of the session's actor. */
final class SessionConversationControl implements ConversationControl {
    private static final Logger LOG = LoggerFactory.getLogger(SessionConversationControl.class);
    private final SessionRegistry sessions;

    SessionConversationControl(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /**
     * Waits for the actor (it may have to be rebuilt from the journal, e.g. after a restart) so that
     * commands reach it in the order the desk issued them. Runs on the desk thread, never an event loop.
     */
    private void on(String sessionId, Consumer<SessionActor> command) {
        try {
            sessions.find(sessionId).toCompletableFuture().get(10, TimeUnit.SECONDS).ifPresent(command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("desk command for session {} not delivered", sessionId, e);
        }
    }

    @Override
    public void queueStatus(String sessionId, String queue, int position, int estimatedWaitSeconds) {
        on(sessionId, a -> a.deskQueueStatus(queue, position, estimatedWaitSeconds));
    }

    @Override
    public void liveAgentJoined(String sessionId, DeskAgent agent) {
        on(sessionId, a -> a.deskAgentJoined(new LiveAgent(agent.id(), agent.name(), agent.avatarUrl())));
    }


    @Override
    public void liveAgentFinished(String sessionId) {
        on(sessionId, SessionActor::deskAgentFinished);
    }

    @Override
    public void handoffTimedOut(String sessionId) {
        on(sessionId, SessionActor::deskTimedOut);
    }

    @Override
    public void handoffFailed(String sessionId) {
        on(sessionId, SessionActor::deskFailed);
    }
}
