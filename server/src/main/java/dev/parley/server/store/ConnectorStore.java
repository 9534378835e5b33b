package dev.parley.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Connectors. Calls block. */
public interface ConnectorStore {

    void createConnector(Connector connector);

    /** Creates or replaces the connector with this id (used for the demo connector). */
    void upsertConnector(Connector connector);

    Optional<Connector> findConnectorByTokenHash(String tokenHash);

    Optional<Connector> findConnector(String id);

    List<Connector> listConnectors();

    /** Marks a connector revoked; false if no such connector. */
    boolean revokeConnector(String id, Instant at);
}
