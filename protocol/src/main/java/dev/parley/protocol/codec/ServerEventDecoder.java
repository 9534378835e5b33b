package dev.parley.protocol.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.payload.*;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads server frames into typed events, for clients (the SDK, tests, the load generator). Unknown
 * payload fields are ignored, as PROTOCOL.md §13.29 asks of clients; an unknown event type makes
 * the frame unreadable (empty result) rather than failing the connection.
 */
public final class ServerEventDecoder {
    private static final Map<EventType, Class<? extends ServerPayload>> PAYLOADS = new EnumMap<>(EventType.class);

    static {
        PAYLOADS.put(EventType.POLY_AGENT_JOINED, PolyAgentJoined.class);
        PAYLOADS.put(EventType.POLY_AGENT_THINKING, PolyAgentThinking.class);
        PAYLOADS.put(EventType.POLY_AGENT_MESSAGE, PolyAgentMessage.class);
        PAYLOADS.put(EventType.POLY_AGENT_MESSAGE_CHUNK, PolyAgentMessageChunk.class);
        PAYLOADS.put(EventType.POLY_AGENT_LEFT, PolyAgentLeft.class);
        PAYLOADS.put(EventType.POLY_AGENT_TRIGGERED_HANDOFF, PolyAgentTriggeredHandoff.class);
        PAYLOADS.put(EventType.LIVE_AGENT_JOINED, LiveAgentJoined.class);
        PAYLOADS.put(EventType.LIVE_AGENT_TYPING, LiveAgentTyping.class);
        PAYLOADS.put(EventType.LIVE_AGENT_MESSAGE, LiveAgentMessage.class);
        PAYLOADS.put(EventType.LIVE_AGENT_LEFT, LiveAgentLeft.class);
        PAYLOADS.put(EventType.HANDOFF_ACCEPTED, HandoffAccepted.class);
        PAYLOADS.put(EventType.HANDOFF_QUEUE_STATUS, HandoffQueueStatus.class);
        PAYLOADS.put(EventType.CLIENT_HANDOFF_REQUIRED, ClientHandoffRequired.class);
        PAYLOADS.put(EventType.HANDOFF_FAILED, HandoffFailed.class);
        PAYLOADS.put(EventType.HANDOFF_TIMEOUT, HandoffTimeout.class);
        PAYLOADS.put(EventType.SESSION_START, SessionStart.class);
        PAYLOADS.put(EventType.SESSION_END, SessionEnd.class);
        PAYLOADS.put(EventType.SYSTEM_MESSAGE, SystemMessage.class);
        PAYLOADS.put(EventType.LANGUAGE_CHANGED, LanguageChanged.class);
        PAYLOADS.put(EventType.SESSION_IDLE_WARNING, SessionIdleWarning.class);
        PAYLOADS.put(EventType.USER_MESSAGE, UserMessageEcho.class);
        PAYLOADS.put(EventType.REQUEST_POLY_AGENT_JOIN, RequestAgentJoinEcho.class);
        PAYLOADS.put(EventType.USER_END_SESSION, UserEndSessionEcho.class);
        PAYLOADS.put(EventType.HEARTBEAT, HeartbeatEcho.class);
    }

    private ServerEventDecoder() {
    }

    /** The frame's events, or empty when it is not a readable server frame. */
    public static Optional<ServerFrame> decode(String frame) {
        try {
            JsonNode root = Json.MAPPER.readTree(frame);
            if (root == null || !root.isObject()) {
                return Optional.empty();
            }
            if (EventType.EVENT_BATCH.wireName().equals(root.path("type").asText())) {
                List<ServerEvent> events = new ArrayList<>();
                for (JsonNode inner : root.path("payload").path("events")) {
                    event(inner).ifPresent(events::add);
                }
                return Optional.of(new ServerFrame.Batch(root.path("id").asText(), List.copyOf(events)));
            }
            return event(root).map(ServerFrame.Single::new);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<ServerEvent> event(JsonNode node) throws IOException {
        Optional<EventType> type = EventType.fromWireName(node.path("type").asText());
        if (type.isEmpty() || !PAYLOADS.containsKey(type.get())) {
            return Optional.empty();
        }
        JsonNode payloadNode = node.path("payload");
        ServerPayload payload = Json.MAPPER.treeToValue(
                payloadNode.isObject() ? payloadNode : Json.MAPPER.createObjectNode(), PAYLOADS.get(type.get()));
        JsonNode sequence = node.get("sequence");
        JsonNode metadata = node.get("metadata");
        return Optional.of(new ServerEvent(
                node.path("id").asText(),
                sequence == null || sequence.isNull() ? null : sequence.asLong(),
                Instant.parse(node.path("timestamp").asText()),
                payload,
                metadata == null || metadata.isNull() ? null : RawJson.of(metadata.toString())));
    }
}
