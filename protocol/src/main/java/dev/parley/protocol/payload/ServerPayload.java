package dev.parley.protocol.payload;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.parley.protocol.EventType;

/**
 * The payload of a server event, one record per type. The permits list is the index of what a
 * server can send (PROTOCOL.md §6.6); {@code EVENT_BATCH} is framed by the codec instead, because
 * its inner events are already-encoded envelopes.
 */
public sealed interface ServerPayload permits
        PolyAgentJoined, PolyAgentThinking, PolyAgentMessage, PolyAgentMessageChunk, PolyAgentLeft,
        PolyAgentTriggeredHandoff,
        LiveAgentJoined, LiveAgentTyping, LiveAgentMessage, LiveAgentLeft,
        HandoffAccepted, HandoffQueueStatus, ClientHandoffRequired, HandoffFailed, HandoffTimeout,
        SessionStart, SessionEnd, SystemMessage, LanguageChanged, SessionIdleWarning,
        UserMessageEcho, RequestAgentJoinEcho, UserEndSessionEcho, HeartbeatEcho {

    /** The event type this payload travels under. */
    @JsonIgnore
    EventType type();
}
