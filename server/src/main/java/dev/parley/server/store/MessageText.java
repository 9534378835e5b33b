package dev.parley.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row of the history search index (table {@code message_texts}): the text of one user, AI or
 * live-agent message. A streamed AI reply is one row keyed by its message id; each append brings
 * the text of its chunks, joined, and the adapters append it to the row ({@code ON CONFLICT ...
 * body || excluded.body}), so a word split across two chunks is found whole.
 *
 * @param messageKey {@code e:<event id>} for a whole message, {@code m:<message id>} for a stream
 * @param seq        the sequence of the message (a stream's first chunk in this append)
 */
public record MessageText(String sessionId, String messageKey, long seq, String text) {

    /** The rows an append brings, in the events' order; events without message text bring none. */
    public static List<MessageText> findIn(List<StoredEvent> events) {
        Map<String, MessageText> rows = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            switch (e.type()) {
                case USER_MESSAGE, POLY_AGENT_MESSAGE, LIVE_AGENT_MESSAGE -> {
                    String text = payload(e).path("text").asText("");
                    if (!text.isBlank()) {
                        rows.put(e.sessionId() + "\u0000e:" + e.eventId(),
                                new MessageText(e.sessionId(), "e:" + e.eventId(), e.sequence(), text));
                    }
                }
                case POLY_AGENT_MESSAGE_CHUNK -> {
                    JsonNode p = payload(e);
                    String key = "m:" + p.path("message_id").asText("");
                    String text = p.path("text").asText("");
                    rows.merge(e.sessionId() + "\u0000" + key, new MessageText(e.sessionId(), key, e.sequence(), text),
                            (a, b) -> new MessageText(a.sessionId, a.messageKey, a.seq, a.text + b.text));
                }
                default -> { }
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static JsonNode payload(StoredEvent e) {
        try {
            return Json.MAPPER.readTree(e.json()).path("payload");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The upsert both adapters run (SQLite and PostgreSQL share the syntax): a stream's text is appended. */
    public static final String UPSERT = "INSERT INTO message_texts (session_id, message_key, seq, body) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (session_id, message_key) DO UPDATE SET body = message_texts.body || excluded.body";
}
