package dev.parley.server.store;

import dev.parley.protocol.EventType;
import java.time.Instant;
import java.util.UUID;

/** Builds connectors, sessions and events for store tests; JSON shaped like the wire envelope. */
public final class TestJournal {

    public static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    public static final String CONNECTOR_ID = "conn-1";

    private TestJournal() {
    }

    public static Connector connector(String id, String tokenHash) {
        return new Connector(id, tokenHash, "example.org", T0, null);
    }

    public static SessionRecord session(String id) {
        return SessionRecord.open(id, CONNECTOR_ID, "web", true, T0);
    }

    public static StoredEvent sessionStart(String sessionId) {
        return event(sessionId, 1, EventType.SESSION_START, "{}", null);
    }

    public static StoredEvent message(String sessionId, long sequence) {
        return event(sessionId, sequence, EventType.POLY_AGENT_MESSAGE, "{\"text\":\"hi " + sequence + "\"}", null);
    }

    public static StoredEvent userMessage(String sessionId, long sequence, String clientEventId) {
        return event(sessionId, sequence, EventType.USER_MESSAGE, "{\"text\":\"hello\"}", clientEventId);
    }

    public static StoredEvent sessionEnd(String sessionId, long sequence, String reason) {
        return event(sessionId, sequence, EventType.SESSION_END, "{\"reason\":\"" + reason + "\"}", null);
    }

    public static StoredEvent event(String sessionId, long sequence, EventType type, String payload, String clientEventId) {
        String id = UUID.randomUUID().toString();
        Instant ts = T0.plusSeconds(sequence);
        String json = "{\"id\":\"" + id + "\",\"sequence\":" + sequence + ",\"timestamp\":\"" + ts
                + "\",\"type\":\"" + type.wireName() + "\",\"payload\":" + payload + "}";
        return new StoredEvent(sessionId, sequence, id, type, ts, json, clientEventId);
    }
}
