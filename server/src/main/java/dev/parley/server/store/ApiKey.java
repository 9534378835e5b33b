package dev.parley.server.store;

import java.time.Instant;

/**
 * An operator API key (issue 14). Only its keyed hash is kept; the key is shown once, when issued.
 *
 * @param name what the operator called it (who uses it); shown in listings and erasure audits
 */
public record ApiKey(String id, String name, String keyHash, Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
