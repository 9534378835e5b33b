package dev.parley.client;

import dev.parley.protocol.EndReason;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.LiveAgent;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.SystemLevel;

/**
 * Receives what happens in a {@link Conversation}. Every method has a no-op default; override what
 * you render.
 *
 * <h2>Threading</h2>
 * Each conversation has one dedicated delivery thread (named {@code parley-client-conversation-N}).
 * Every method is called on it, one call at a time, never while the SDK holds a lock; calling back
 * into the conversation (e.g. {@code send}) from a listener is fine. Blocking here delays the
 * conversation's own bookkeeping (receipts, heartbeats), so hand long work elsewhere. An exception
 * thrown by a listener is logged and otherwise ignored.
 *
 * <h2>Lifecycle</h2>
 * {@link #onStateChanged} reports CONNECTING, then CONNECTED once the history replay arrived, then
 * RECONNECTING / CONNECTED around each dropped socket, and CLOSED exactly once at the end. Server
 * events arrive through {@link #onEvent} in sequence order, each exactly once (replays and
 * resends are deduplicated), followed by the matching typed method. The conversation ends after
 * {@link #onSessionEnded}, after {@link #onFailure}, or after {@link Conversation#close()}; nothing
 * is called after the final {@code onStateChanged(CLOSED)}.
 */
public interface ConversationListener {

    /** Every server event, replay batches flattened, in delivery order; transient ones as they come. */
    default void onEvent(Conversation conversation, ServerEvent event) {
    }

    /** The connection state changed. */
    default void onStateChanged(Conversation conversation, ConnectionState state) {
    }

    /** The AI agent joined (PROTOCOL.md §6.1). */
    default void onAgentJoined(Conversation conversation, String name, String avatarUrl) {
    }

    /** The AI agent is composing a reply: show a typing indicator until the message comes. */
    default void onAgentThinking(Conversation conversation) {
    }

    /** A whole AI message: received in one piece, or completed from its streamed chunks. */
    default void onAgentMessage(Conversation conversation, AgentMessage message) {
    }

    /** Streaming progress: the text of message {@code messageId} received so far (PROTOCOL.md §7). */
    default void onPartialMessage(Conversation conversation, String messageId, String textSoFar) {
    }

    /** The AI agent left, typically ahead of a handoff. */
    default void onAgentLeft(Conversation conversation) {
    }

    /** The AI agent decided a human should take over; handoff events follow (PROTOCOL.md §9). */
    default void onHandoffTriggered(Conversation conversation) {
    }

    /** The live-agent system accepted the handoff; the user may be queued. */
    default void onHandoffAccepted(Conversation conversation) {
    }

    /** Queue progress while waiting for a human; every argument may be {@code null}. */
    default void onQueueStatus(Conversation conversation, String queueName, Integer position, Integer estimatedWaitSeconds) {
    }

    /** The server cannot run the handoff: route the user to another channel (PROTOCOL.md §9.2). */
    default void onClientHandoffRequired(Conversation conversation, HandoffReason reason, String queueName) {
    }

    /** The handoff could not be completed. */
    default void onHandoffFailed(Conversation conversation) {
    }

    /** The user waited too long in the queue. */
    default void onHandoffTimeout(Conversation conversation) {
    }

    /** A human agent joined. */
    default void onLiveAgentJoined(Conversation conversation, LiveAgent agent) {
    }

    /** A human agent started or stopped typing. */
    default void onLiveAgentTyping(Conversation conversation, String agentId, boolean typing) {
    }

    /** A message from the human agent ({@link AgentMessage#agentId()} is set). */
    default void onLiveAgentMessage(Conversation conversation, AgentMessage message) {
    }

    /** The human agent left. */
    default void onLiveAgentLeft(Conversation conversation) {
    }

    /** A system notice, mostly an error (PROTOCOL.md §11). */
    default void onSystemMessage(Conversation conversation, SystemLevel level, String message) {
    }

    /** The conversation language changed (BCP-47); the latest call wins. */
    default void onLanguageChanged(Conversation conversation, String languageCode) {
    }

    /**
     * The session has been inactive and ends as abandoned in about {@code secondsRemaining} unless
     * something is sent; any event (a heartbeat too) postpones it. Live only, never replayed.
     */
    default void onIdleWarning(Conversation conversation, long secondsRemaining) {
    }

    /** The session is over; the conversation closes right after. */
    default void onSessionEnded(Conversation conversation, EndReason reason) {
    }

    /** A message from {@link Conversation#send} changed status: SENDING, then SENT or FAILED. */
    default void onDeliveryStatus(Conversation conversation, OutgoingMessage message, DeliveryStatus status) {
    }

    /** The SDK gave up on the conversation; {@code onStateChanged(CLOSED)} follows. */
    default void onFailure(Conversation conversation, ConversationLostException error) {
    }
}
