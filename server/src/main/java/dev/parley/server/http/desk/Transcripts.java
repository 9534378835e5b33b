package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.store.ContextStore;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.StoredContext;
import dev.parley.server.store.StoredEvent;
import java.util.List;
import java.util.Optional;

/**
 * The full stored history of a session as {@code {"events": [...], "verified_context": ...}}, each
 * event as it was sent, and the session's verified context ({@code {"values", "key_id",
 * "verified_at"}}, or {@code null} when no token was ever accepted: a refused token is never shown). Blocks.
 */
final class Transcripts {
    private static final int PAGE = 1000;
    private final EventStore events;
    private final ContextStore contexts;

    Transcripts(EventStore events, ContextStore contexts) {
        this.events = events;
        this.contexts = contexts;
    }

    String of(String sessionId) {
        StringBuilder json = new StringBuilder("{\"events\":[");
        long after = 0;
        boolean first = true;
        while (true) {
            List<StoredEvent> page = events.readAfter(sessionId, after, PAGE);
            for (StoredEvent event : page) {
                json.append(first ? "" : ",").append(event.json());
                first = false;
            }
            if (page.size() < PAGE) {
                return json.append("],\"verified_context\":").append(verifiedContext(sessionId)).append('}').toString();
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    private String verifiedContext(String sessionId) {
        Optional<StoredContext> stored = contexts.findSessionContext(sessionId);
        if (stored.isEmpty()) {
            return "null";
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        try {
            node.set("values", Json.MAPPER.readTree(stored.get().json()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        node.put("key_id", stored.get().keyId()).put("verified_at", Timestamps.format(stored.get().verifiedAt()));
        return node.toString();
    }
}
