package dev.parley.server.store;

import java.util.List;
import java.util.Optional;

/** Verified-context keys per connector, and each session's last verified context. Calls block. */
public interface ContextStore {

    /** Adds a key; false if the connector already has one with this id. */
    boolean addContextKey(ContextKey key);

    /** The keys of a connector, oldest first. */
    List<ContextKey> listContextKeys(String connectorId);

    Optional<ContextKey> findContextKey(String connectorId, String keyId);

    /** Removes a key; false if there was none. Tokens it signed are refused from then on. */
    boolean removeContextKey(String connectorId, String keyId);

    /** Stores a session's verified context, replacing the one before (last write wins). */
    void saveSessionContext(StoredContext context);

    Optional<StoredContext> findSessionContext(String sessionId);
}
