package dev.parley.server.auth;

import java.time.Instant;

/** What a verified access token says: who it was issued to and until when it holds. */
public record AccessClaims(String connectorId, String host, Instant expiresAt, String tokenId) {
}
