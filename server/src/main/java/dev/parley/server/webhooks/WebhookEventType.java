package dev.parley.server.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** The event types a subscription may ask for, by their wire name ({@code type} in the body). */
public enum WebhookEventType {
    SESSION_STARTED("session.started"),
    SESSION_ENDED("session.ended"),
    HANDOFF_REQUESTED("handoff.requested"),
    HANDOFF_ASSIGNED("handoff.assigned"),
    HANDOFF_FINISHED("handoff.finished"),
    MESSAGE_CREATED("message.created"),
    /** A user rated a conversation with a live agent ({@link CsatWebhook}), queued with the rating. */
    CSAT_GIVEN("csat.given");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
