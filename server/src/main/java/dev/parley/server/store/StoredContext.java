package dev.parley.server.store;

import java.time.Instant;

/**
 * The verified context of a session as stored: the {@code ctx} object of the last accepted token
 * (JSON text of a flat object), the key that signed it and when it was accepted.
 */
public record StoredContext(String sessionId, String json, String keyId, Instant verifiedAt) {
}
