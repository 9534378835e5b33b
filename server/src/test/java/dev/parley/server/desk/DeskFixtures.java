package dev.parley.server.desk;

import dev.parley.protocol.EventType;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.testing.TestStores;
import java.time.Instant;

/** A real store (SQLite, or PostgreSQL in a PostgreSQL run: {@link TestStores}) with the demo connector, and sessions to hand off. */
final class DeskFixtures {
    static final String CONNECTOR = "con_demo";

    private DeskFixtures() {
    }

    static NodeStore storeWithConnector(java.nio.file.Path dir) {
        NodeStore store = TestStores.open(dir);
        if (store.findConnector(CONNECTOR).isEmpty()) {
            store.upsertConnector(new Connector(CONNECTOR, "hash", "localhost", Instant.EPOCH, null));
        }
        return store;
    }

    static void session(NodeStore store, String id) {
        Instant at = Instant.parse("2026-03-01T09:00:00Z");
        store.create(new SessionRecord(id, CONNECTOR, "web", false, at, null, null),
                new StoredEvent(id, 1, "evt_" + id, EventType.SESSION_START, at, "{}", null));
    }
}
