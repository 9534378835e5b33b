package dev.parley.client.internal;

import dev.parley.protocol.Capabilities;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.SystemLevel;
import dev.parley.protocol.codec.ServerEventDecoder;
import dev.parley.protocol.codec.ServerFrame;
import dev.parley.protocol.payload.PolyAgentJoined;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SessionEnd;
import dev.parley.protocol.payload.SessionStart;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.protocol.payload.UserMessageEcho;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames from the server: decodes them, puts events in order without duplicates
 * ({@link EventSequencer}), tells the listener, and acts on what concerns the conversation itself:
 * capabilities, the agent's join, echoes and errors for our messages, the session's end. The first
 * replay batch of a socket makes the conversation live again. Conversation thread only.
 */
final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);
    private static final int MAX_HELD_EVENTS = 1_000;
    private static final int ID_WINDOW = 1_024;

    private final RealConversation conversation;
    private final Outbound out;
    private final Receipts receipts;
    private final ListenerCalls listeners;
    private final TypedDispatch typed;

    // Conversation thread only.
    private final EventSequencer sequencer;
    private Capabilities capabilities;
    /** The current socket's first replay batch is in. */
    private boolean replayDone;
    private boolean agentJoined;

    Inbound(RealConversation conversation, Outbound out, Receipts receipts, ListenerCalls listeners, TypedDispatch typed,
            long cursor) {
        this.conversation = conversation;
        this.out = out;
        this.receipts = receipts;
        this.listeners = listeners;
        this.typed = typed;
        this.sequencer = new EventSequencer(cursor, MAX_HELD_EVENTS, ID_WINDOW);
    }

    /** The last sequence delivered in order: the {@code cursor} of the next socket (§3.1). */
    long delivered() {
        return sequencer.delivered();
    }

    boolean replayDone() {
        return replayDone;
    }

    /** A new socket, or none: wait for its replay again. */
    void resetReplay() {
        replayDone = false;
    }

    boolean agentJoined() {
        return agentJoined;
    }

    int heartbeatSeconds() {
        return capabilities != null && capabilities.heartbeatIntervalSeconds() > 0
                ? capabilities.heartbeatIntervalSeconds()
                : Limits.DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
    }

    /** The session's reconnect budget (§3.6), or the protocol default before its start event. */
    int maxReconnectAttempts() {
        return capabilities != null ? capabilities.maxReconnectAttempts() : Limits.DEFAULT_MAX_RECONNECT_ATTEMPTS;
    }

    /** One text frame of socket {@code gen}: a single event or a batch. */
    void frame(int gen, String text) {
        if (conversation.isFinished() || !out.isCurrent(gen)) {
            return;
        }
        ServerFrame frame = ServerEventDecoder.decode(text).orElse(null);
        if (frame == null) {
            LOG.debug("ignoring an unreadable frame");
            return;
        }
        if (frame instanceof ServerFrame.Single single) {
            accept(single.event());
            return;
        }
        for (ServerEvent event : ((ServerFrame.Batch) frame).events()) {
            accept(event);
            if (conversation.isFinished()) {
                return;
            }
        }
        if (!replayDone) {
            replayDone = true;
            conversation.connected(gen);
        }
    }

    private void accept(ServerEvent event) {
        for (ServerEvent ready : sequencer.accept(event)) {
            deliver(ready);
            if (conversation.isFinished()) {
                return;
            }
        }
    }

    private void deliver(ServerEvent event) {
        ServerPayload payload = event.payload();
        if (payload instanceof SessionStart start) {
            capabilities = start.capabilities();
        } else if (payload instanceof PolyAgentJoined) {
            agentJoined = true;
        }
        if (!event.isTransient()) {
            conversation.advanceCursor(event.sequence());
        }
        listeners.tell(l -> l.onEvent(conversation, event));
        listeners.tell(l -> typed.dispatch(event));
        if (payload instanceof UserMessageEcho echo) {
            receipts.confirmed(ClientFrames.clientEventId(event.metadata()), echo.messageId());
        } else if (payload instanceof SystemMessage system && system.level() == SystemLevel.SYSTEM_MESSAGE_LEVEL_ERROR) {
            answerError(system, ClientFrames.clientEventId(event.metadata()));
        } else if (payload instanceof SessionEnd) {
            conversation.finish(); // §3.7: nothing follows; close the socket
        }
    }

    /** An error about one of our messages: §11.3's remedy when there is one, else the message fails. */
    private void answerError(SystemMessage error, String clientEventId) {
        if (clientEventId == null) {
            return;
        }
        if (ErrorMessages.CONVERSATION_NOT_FOUND.equals(error.message())) {
            out.write(ClientFrames.join());
            receipts.resendNow(clientEventId);
        } else {
            receipts.refused(clientEventId);
        }
    }
}
