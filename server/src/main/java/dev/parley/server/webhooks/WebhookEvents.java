package dev.parley.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.EventType;
import dev.parley.server.store.StoredEvent;
import java.util.Optional;

/**
 * Which journaled events owe webhook deliveries, and what their {@code data} says. The only source of
 * webhook events: the stores call {@link #of} for every event they append, inside the append's
 * transaction, so an event is in the outbox exactly when it is in the journal (nothing lost on a
 * crash, nothing for an append that rolled back). Streamed chunks are not messages here (a streamed
 * reply has no single stored text).
 */
public final class WebhookEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A delivery owed to every subscription of {@code type} (and of the session's connector). */
    public record Outgoing(StoredEvent event, WebhookEventType type, String data) {
    }

    private WebhookEvents() {
    }

    public static Optional<Outgoing> of(StoredEvent event) {
        WebhookEventType type = typeOf(event.type());
        if (type == null) {
            return Optional.empty();
        }
        return Optional.of(new Outgoing(event, type, data(event, type)));
    }

    private static WebhookEventType typeOf(EventType type) {
        return switch (type) {
            case SESSION_START -> WebhookEventType.SESSION_STARTED;
            case SESSION_END -> WebhookEventType.SESSION_ENDED;
            case POLY_AGENT_TRIGGERED_HANDOFF -> WebhookEventType.HANDOFF_REQUESTED;
            case LIVE_AGENT_JOINED -> WebhookEventType.HANDOFF_ASSIGNED;
            case LIVE_AGENT_LEFT, HANDOFF_FAILED, HANDOFF_TIMEOUT -> WebhookEventType.HANDOFF_FINISHED;
            case USER_MESSAGE, POLY_AGENT_MESSAGE, LIVE_AGENT_MESSAGE -> WebhookEventType.MESSAGE_CREATED;
            default -> null;
        };
    }

    /**
     * {@code {"event": "<protocol type>", "sequence": n, "payload": {...}}} plus, for messages, the
     * {@code role} and, for a finished handoff, the {@code outcome}: the protocol payload as journaled,
     * so nothing is invented and a receiver can read PROTOCOL.md for its fields.
     */
    private static String data(StoredEvent event, WebhookEventType type) {
        ObjectNode data = JSON.createObjectNode();
        data.put("event", event.type().wireName());
        data.put("sequence", event.sequence());
        if (type == WebhookEventType.MESSAGE_CREATED) {
            data.put("role", switch (event.type()) {
                case USER_MESSAGE -> "user";
                case LIVE_AGENT_MESSAGE -> "live_agent";
                default -> "assistant";
            });
        }
        if (type == WebhookEventType.HANDOFF_FINISHED) {
            data.put("outcome", switch (event.type()) {
                case HANDOFF_FAILED -> "failed";
                case HANDOFF_TIMEOUT -> "timeout";
                default -> "agent_left";
            });
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(event.json()).path("payload");
        } catch (java.io.IOException e) {
            payload = JSON.missingNode(); // the journal holds only JSON it wrote; never expected
        }
        data.set("payload", payload.isMissingNode() ? JSON.createObjectNode() : payload);
        return data.toString();
    }
}
