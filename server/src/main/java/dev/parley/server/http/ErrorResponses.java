package dev.parley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import io.vertx.core.http.HttpServerResponse;

/** Every HTTP error leaves through here: JSON {@code {"error": "<documented message>"}} (PROTOCOL.md §13.16). */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static void send(HttpServerResponse response, int status, String message) {
        if (response.ended()) {
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", message);
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.toString());
    }

    /** A 429 always says when to come back. */
    public static void tooMany(HttpServerResponse response, String message, long retryAfterSeconds) {
        response.putHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
        send(response, 429, message);
    }
}
