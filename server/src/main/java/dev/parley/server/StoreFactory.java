package dev.parley.server;

import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.postgres.PostgresStore;
import dev.parley.server.store.sqlite.SqliteStore;

/**
 * Opens the store {@code store.kind} names: the embedded SQLite file in the data directory, or the
 * PostgreSQL database at {@code store.url}. The server and the admin commands both open it here,
 * so they always look at the same data.
 */
public final class StoreFactory {
    private StoreFactory() {
    }

    public static NodeStore open(ParleyConfig config) {
        return switch (config.store().kind()) {
            case SQLITE -> SqliteStore.open(config.dataDir(), config.store().migrateOnStart());
            case POSTGRES -> PostgresStore.open(config.store());
        };
    }
}
