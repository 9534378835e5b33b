package dev.parley.server.cli;

import dev.parley.server.store.ConnectorStore;
import java.nio.file.Path;

/**
 * Opens the connector store in a data directory for one admin command, which closes it afterwards.
 * Production passes {@code SqliteStore::open}; tests pass an in-memory fake.
 */
@FunctionalInterface
public interface StoreOpener<S extends ConnectorStore & AutoCloseable> {
    S open(Path dataDir) throws Exception;
}
