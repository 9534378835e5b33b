package dev.parley.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.codec.Json;
import java.io.IOException;

/**
 * The five client frames of PROTOCOL.md §5, as JSON text. Only {@code type}, {@code payload} and
 * {@code metadata} are written: ids, sequences and timestamps are the server's (§4.1).
 */
public final class ClientFrames {
    private static final String CLIENT_EVENT_ID = "client_event_id";

    private ClientFrames() {
    }

    public static String join() {
        return frame(EventType.REQUEST_POLY_AGENT_JOIN, Json.MAPPER.createObjectNode(), null);
    }

    public static String heartbeat() {
        return frame(EventType.HEARTBEAT, Json.MAPPER.createObjectNode(), null);
    }

    public static String endSession() {
        return frame(EventType.USER_END_SESSION, Json.MAPPER.createObjectNode(), null);
    }

    public static String typing(boolean typing) {
        ObjectNode payload = Json.MAPPER.createObjectNode()
                .put("state", (typing ? TypingState.TYPING_STATE_STARTED : TypingState.TYPING_STATE_STOPPED).name());
        return frame(EventType.USER_TYPING, payload, null);
    }

    /** A user message carrying {@code clientEventId} for its delivery receipt (§4.4). */
    public static String userMessage(String text, String clientEventId) {
        return frame(EventType.USER_MESSAGE, Json.MAPPER.createObjectNode().put("text", text), clientEventId);
    }

    private static String frame(EventType type, ObjectNode payload, String clientEventId) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("type", type.wireName());
        root.set("payload", payload);
        if (clientEventId != null) {
            root.putObject("metadata").putObject("custom").put(CLIENT_EVENT_ID, clientEventId);
        }
        return root.toString();
    }

    /** {@code metadata.custom.client_event_id} of a server event, or {@code null}. */
    public static String clientEventId(RawJson metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            JsonNode id = Json.MAPPER.readTree(metadata.json()).path("custom").path(CLIENT_EVENT_ID);
            return id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
