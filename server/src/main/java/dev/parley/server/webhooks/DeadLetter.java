package dev.parley.server.webhooks;

import java.time.Instant;

/** A delivery whose last attempt failed; {@code webhook retry} makes it due again. */
public record DeadLetter(String id, String subscriptionId, String type, String sessionId, int attempts,
                         Instant deadAt, String lastError) {
}
