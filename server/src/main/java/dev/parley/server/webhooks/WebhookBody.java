package dev.parley.server.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The JSON a delivery POSTs: {@code {"id", "type", "created_at", "session_id", "connector_id", "data"}},
 * built from the outbox row, so every attempt sends the same body. {@code id} is the journaled
 * protocol event's id (the same for every subscription); the delivery id is in the headers.
 */
final class WebhookBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBody() {
    }

    static String of(WebhookDelivery d) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", d.eventId());
        body.put("type", d.type());
        body.put("created_at", DateTimeFormatter.ISO_INSTANT.format(d.createdAt().truncatedTo(ChronoUnit.MILLIS)));
        body.put("session_id", d.sessionId());
        body.put("connector_id", d.connectorId());
        try {
            body.set("data", JSON.readTree(d.data()));
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored webhook data is not JSON", e);
        }
    }
}
