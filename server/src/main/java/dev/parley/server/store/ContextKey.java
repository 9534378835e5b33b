package dev.parley.server.store;

import java.time.Instant;

/**
 * A key a connector's site signs verified-context tokens with (HS256), named by the token's
 * {@code kid}. The store keeps the secret only sealed ({@code sealedSecret}, see
 * {@code auth.ContextKeySealer}); it is never logged and never listed.
 */
public record ContextKey(String connectorId, String keyId, String sealedSecret, Instant createdAt) {
    @Override
    public String toString() { // keep the sealed secret out of any log line that prints a key
        return "ContextKey[" + connectorId + "/" + keyId + ", created " + createdAt + "]";
    }
}
