package dev.parley.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.EventType;
import dev.parley.protocol.codec.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * That a session ended, read from its journaled {@code SESSION_END} event. The reason lives only in
 * the event's JSON ({@code payload.reason}), so it is parsed from there rather than passed beside it.
 * Shared by the store adapters, which mark the session ended in the transaction that journals it.
 */
public record SessionEndMark(String sessionId, Instant endedAt, EndReason reason) {

    /** The first {@code SESSION_END} of each session in {@code events}, by session id. */
    public static Map<String, SessionEndMark> findIn(List<StoredEvent> events) {
        Map<String, SessionEndMark> ends = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            if (e.type() == EventType.SESSION_END && !ends.containsKey(e.sessionId())) {
                ends.put(e.sessionId(), new SessionEndMark(e.sessionId(), e.timestamp(), reasonOf(e)));
            }
        }
        return ends;
    }

    /** Fails rather than guessing: a session must not be recorded as ended for an unknown reason. */
    private static EndReason reasonOf(StoredEvent event) {
        JsonNode reason;
        try {
            reason = Json.MAPPER.readTree(event.json()).path("payload").path("reason");
        } catch (JsonProcessingException e) {
            throw new StoreException("SESSION_END " + event.eventId() + " is not valid JSON", e);
        }
        try {
            return EndReason.valueOf(reason.asText());
        } catch (IllegalArgumentException e) {
            throw new StoreException("SESSION_END " + event.eventId() + " has no known payload.reason: " + reason);
        }
    }
}
