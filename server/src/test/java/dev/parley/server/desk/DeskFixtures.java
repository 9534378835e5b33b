package dev.parley.server.desk;

import dev.parley.protocol.EventType;
import dev.parley.server.store.Connector;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.sqlite.SqliteStore;
import java.time.Instant;

/** A real SQLite store with the demo connector, and sessions to hand off. */
final class DeskFixtures {
    static final String CONNECTOR = "con_demo";

    private DeskFixtures() {
    }

    static SqliteStore storeWithConnector(java.nio.file.Path dir) {
        SqliteStore store = SqliteStore.open(dir);
        if (store.findConnector(CONNECTOR).isEmpty()) {
            store.upsertConnector(new Connector(CONNECTOR, "hash", "localhost", Instant.EPOCH, null));
        }
        return store;
    }

    static void session(SqliteStore store, String id) {
        Instant at = Instant.parse("2026-03-01T09:00:00Z");
        store.create(new SessionRecord(id, CONNECTOR, "web", false, at, null, null),
                new StoredEvent(id, 1, "evt_" + id, EventType.SESSION_START, at, "{}", null));
    }
}
