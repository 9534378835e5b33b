package dev.parley.server.cli;

import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.ConnectorStore;

/**
 * Opens the configured store ({@code store.kind}: the data directory's SQLite file or PostgreSQL)
 * for one admin command, which closes it afterwards. Production passes {@code StoreFactory::open};
 * tests pass an in-memory fake.
 */
@FunctionalInterface
public interface StoreOpener<S extends ConnectorStore & AutoCloseable> {
    S open(ParleyConfig config) throws Exception;
}
