package dev.parley.server.auth;

import dev.parley.server.store.Connector;
import dev.parley.server.store.ConnectorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A ConnectorStore in a map, for tests; remembers whether it was closed. */
public final class InMemoryConnectorStore implements ConnectorStore, AutoCloseable {
    private final Map<String, Connector> byId = new LinkedHashMap<>();
    public boolean closed;

    @Override
    public synchronized void createConnector(Connector connector) {
        if (byId.putIfAbsent(connector.id(), connector) != null) {
            throw new IllegalStateException("duplicate id " + connector.id());
        }
    }

    @Override
    public synchronized void upsertConnector(Connector connector) {
        byId.put(connector.id(), connector);
    }

    @Override
    public synchronized Optional<Connector> findConnectorByTokenHash(String tokenHash) {
        return byId.values().stream().filter(c -> c.tokenHash().equals(tokenHash)).findFirst();
    }

    @Override
    public synchronized Optional<Connector> findConnector(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<Connector> listConnectors() {
        return new ArrayList<>(byId.values());
    }

    @Override
    public synchronized boolean replaceTokenHash(String id, String expected, String replacement) {
        Connector c = byId.get(id);
        if (c == null || !c.tokenHash().equals(expected)) {
            return false;
        }
        byId.put(id, new Connector(c.id(), replacement, c.host(), c.createdAt(), c.revokedAt()));
        return true;
    }

    @Override
    public synchronized boolean revokeConnector(String id, Instant at) {
        Connector c = byId.get(id);
        if (c == null) {
            return false;
        }
        byId.put(id, new Connector(c.id(), c.tokenHash(), c.host(), c.createdAt(), at));
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
