package dev.parley.server.auth;

import dev.parley.server.store.Connector;
import dev.parley.server.store.ConnectorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades connector rows written before keyed hashing (they hold SHA-256(token) in hex) to the
 * {@link ConnectorTokenHasher} scheme, so their tokens keep working and the database no longer
 * gives them away. Runs at every server start: rows already marked {@code h1:} are skipped, so a
 * second run changes nothing. Each row is replaced only if it still holds the value read, so a
 * concurrent admin command (a revoke, say) is never overwritten.
 */
public final class ConnectorTokenMigration {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorTokenMigration.class);

    private final ConnectorStore connectors;
    private final ConnectorTokenHasher hasher;

    public ConnectorTokenMigration(ConnectorStore connectors, ConnectorTokenHasher hasher) {
        this.connectors = connectors;
        this.hasher = hasher;
    }

    /** Upgrades every legacy row; returns how many were upgraded. */
    public int run() {
        int upgraded = 0;
        for (Connector c : connectors.listConnectors()) {
            if (ConnectorTokenHasher.isCurrent(c.tokenHash())) {
                continue;
            }
            String replacement;
            try {
                replacement = hasher.upgrade(c.tokenHash());
            } catch (IllegalArgumentException e) {
                // Not something we wrote; leave it (its token cannot authenticate either way).
                LOG.warn("connector {} holds an unrecognised token hash; left unchanged: {}", c.id(), e.getMessage());
                continue;
            }
            if (connectors.replaceTokenHash(c.id(), c.tokenHash(), replacement)) {
                upgraded++;
            }
        }
        if (upgraded > 0) {
            LOG.info("upgraded {} connector token hash(es) from plain SHA-256 to keyed HMAC ({})",
                    upgraded, ConnectorTokenHasher.SCHEME);
        }
        return upgraded;
    }
}
