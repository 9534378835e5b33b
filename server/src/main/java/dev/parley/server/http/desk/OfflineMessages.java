package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.EventType;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.desk.OfflineConversation;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The desk's offline list as JSON: each conversation with its text messages, those the user left
 * after the out-of-hours notice (until they went back to the AI agent, if they did) marked
 * {@code "left": true}. Read from the journal (the messages are
 * stored nowhere else, so erasure and retention remove them with the session). Blocks.
 */
final class OfflineMessages {
    private static final int PAGE = 1000;
    private final EventStore events;

    OfflineMessages(EventStore events) {
        this.events = events;
    }

    ObjectNode of(List<OfflineConversation> conversations) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("offline");
        for (OfflineConversation o : conversations) {
            ObjectNode item = list.addObject()
                    .put("session_id", o.sessionId())
                    .put("label", dev.parley.server.desk.ConversationLabel.of(o.sessionId()))
                    .put("queue", o.queue())
                    .put("created_at", Timestamps.format(o.createdAt()));
            messages(o.sessionId(), item.putArray("messages"));
        }
        return root;
    }

    private void messages(String sessionId, ArrayNode out) {
        boolean left = false;
        long after = 0;
        while (true) {
            List<StoredEvent> page = events.readAfter(sessionId, after, PAGE);
            for (StoredEvent event : page) {
                EventType type = event.type();
                if (type == EventType.POLY_AGENT_JOINED) {
                    left = false; // back with the AI agent: what follows was said to it
                    continue;
                }
                if (type == EventType.SYSTEM_MESSAGE || type == EventType.USER_MESSAGE
                        || type == EventType.POLY_AGENT_MESSAGE || type == EventType.LIVE_AGENT_MESSAGE) {
                    JsonNode payload = read(event).path("payload");
                    if (type == EventType.SYSTEM_MESSAGE) {
                        left |= OfflineConversation.MARKER_DETAIL.equals(payload.path("detail").asText(null));
                        continue;
                    }
                    out.addObject()
                            .put("from", type == EventType.USER_MESSAGE ? "user"
                                    : type == EventType.POLY_AGENT_MESSAGE ? "ai_agent" : "live_agent")
                            .put("text", payload.path("text").asText(""))
                            .put("timestamp", Timestamps.format(event.timestamp()))
                            .put("left", left && type == EventType.USER_MESSAGE);
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    private static JsonNode read(StoredEvent event) {
        try {
            return Json.MAPPER.readTree(event.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
