package dev.parley.client.internal;

import java.time.Instant;

/** An access token and when it expires. {@link #toString()} hides the secret (PROTOCOL.md §12). */
record AccessToken(String value, Instant expiresAt) {
    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + "]";
    }
}
