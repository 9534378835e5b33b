package dev.parley.server.webhooks;

import java.time.Instant;
import java.util.Set;

/**
 * An operator's subscription: where to POST which event types, optionally of one connector only.
 * The signing secret is kept only sealed with the server secret ({@link WebhookSecrets}).
 */
public record WebhookSubscription(String id, String url, Set<WebhookEventType> events, String connectorId,
                                  String sealedSecret, Instant createdAt) {
    public WebhookSubscription {
        events = Set.copyOf(events);
    }

    @Override
    public String toString() { // keep the sealed secret out of log lines
        return "WebhookSubscription[" + id + " " + url + " " + events + "]";
    }
}
