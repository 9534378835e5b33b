package dev.parley.server.store;

import java.time.Instant;

/**
 * An integration allowed to mint access tokens (PROTOCOL.md §1.2). Only a hash of its token is
 * kept; the token itself is shown once, when created.
 *
 * @param host registered domain or app namespace, {@code null} when none was registered
 */
public record Connector(String id, String tokenHash, String host, Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
