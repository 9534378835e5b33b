package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Small readers over recorded frames, so tests talk about events rather than JSON plumbing. */
public final class Frames {
    public static final String BATCH = "EVENT_TYPE_EVENT_BATCH";

    private Frames() {
    }

    public static String type(JsonNode event) {
        return event.path("type").asText();
    }

    /** Stored events carry a sequence; transient ones have JSON {@code null} there. */
    public static boolean isStored(JsonNode event) {
        return event.hasNonNull("sequence");
    }

    public static long sequence(JsonNode event) {
        return event.get("sequence").asLong();
    }

    /** The events of batch frames, in order; other frames are kept as they are. */
    public static List<JsonNode> flatten(List<JsonNode> frames) {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode frame : frames) {
            if (type(frame).equals(BATCH)) {
                frame.path("payload").path("events").forEach(events::add);
            } else {
                events.add(frame);
            }
        }
        return events;
    }

    public static List<JsonNode> stored(List<JsonNode> events) {
        return events.stream().filter(Frames::isStored).toList();
    }

    public static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> type(e).equals(type)).toList();
    }

    public static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    public static List<Long> sequences(List<JsonNode> events) {
        return events.stream().map(Frames::sequence).toList();
    }

    /** Reads frames until one matches; returns all read, the match last. Bounded by {@link WsClient#WAIT} per frame. */
    public static List<JsonNode> readUntil(WsClient ws, Predicate<JsonNode> last) {
        List<JsonNode> read = new ArrayList<>();
        while (true) {
            JsonNode frame = ws.next();
            read.add(frame);
            if (last.test(frame)) {
                return read;
            }
        }
    }

    /** Reads until the AI agent's next whole message, or the last chunk of a streamed one. */
    public static List<JsonNode> readUntilAgentReply(WsClient ws) {
        return readUntil(ws, Frames::isAgentReplyEnd);
    }

    public static boolean isAgentReplyEnd(JsonNode frame) {
        return type(frame).equals("EVENT_TYPE_POLY_AGENT_MESSAGE")
                || (type(frame).equals("EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK")
                        && frame.path("payload").path("is_complete").asBoolean());
    }
}
