package dev.parley.server.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.csat.CsatRating;

/**
 * The {@code data} of a {@code csat.given} delivery: {@code {"rating", "comment", "queue", "agent_id"}}
 * (session, connector and time are the body's own fields). Not a journaled protocol event: the
 * stores queue it in the rating's own transaction, under an event id made for the rating.
 */
public final class CsatWebhook {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CsatWebhook() {
    }

    public static String data(CsatRating rating) {
        ObjectNode data = JSON.createObjectNode()
                .put("rating", rating.rating())
                .put("comment", rating.comment())
                .put("queue", rating.queue())
                .put("agent_id", rating.agentId());
        return data.toString();
    }
}
