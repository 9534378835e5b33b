package dev.parley.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Connectors. Calls block. */
public interface ConnectorStore {

    void createConnector(Connector connector);

    /** Creates or replaces the connector with this id (used for the demo connector). */
    void upsertConnector(Connector connector);

    Optional<Connector> findConnectorByTokenHash(String tokenHash);

    Optional<Connector> findConnector(String id);

    List<Connector> listConnectors();

    /**
     * Sets the token hash of connector {@code id} to {@code replacement} if it is still
     * {@code expected} (a compare-and-set, for upgrading the hash scheme alongside other writers);
     * false if the row is gone or holds something else.
     */
    boolean replaceTokenHash(String id, String expected, String replacement);

    /** Marks a connector revoked; false if no such connector. */
    boolean revokeConnector(String id, Instant at);

    /**
     * Ids of the connectors revoked at or before {@code asOf} (a revocation dated later has not
     * taken effect yet). Polled every second by each node, so stores answer it with one cheap query;
     * this default, over {@link #listConnectors()}, suits small in-memory stores.
     */
    default Set<String> revokedConnectorIds(Instant asOf) {
        return listConnectors().stream()
                .filter(c -> c.revoked() && !c.revokedAt().isAfter(asOf))
                .map(Connector::id)
                .collect(Collectors.toUnmodifiableSet());
    }
}
