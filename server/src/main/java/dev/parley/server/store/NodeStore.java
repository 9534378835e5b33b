package dev.parley.server.store;

import dev.parley.server.desk.DeskStore;

/**
 * Everything one node keeps: the journal, sessions, connectors and the live-agent desk, behind one
 * adapter chosen by {@code store.kind} (SQLite in the data directory, or PostgreSQL). Calls block.
 */
public interface NodeStore extends EventStore, SessionStore, ConnectorStore, DeskStore, AutoCloseable {

    /** Closes the connections; a failure is a {@link StoreException}. */
    @Override
    void close();
}
