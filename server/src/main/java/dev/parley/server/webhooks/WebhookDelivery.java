package dev.parley.server.webhooks;

import java.time.Instant;

/**
 * One outbox row as claimed for an attempt, with what sending it needs.
 *
 * @param attempt the attempt being made now, 1 for the first
 */
public record WebhookDelivery(String id, String subscriptionId, String url, String sealedSecret, String eventId,
                              String type, String sessionId, String connectorId, Instant createdAt, String data,
                              int attempt) {
    @Override
    public String toString() { // keep content and the sealed secret out of log lines
        return "WebhookDelivery[" + id + " " + type + " to " + subscriptionId + ", attempt " + attempt + "]";
    }
}
