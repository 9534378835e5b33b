package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.parley.protocol.codec.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;

/** Request bodies of the desk REST calls: one JSON object, nothing after it. */
final class DeskBodies {
    private static final ObjectReader STRICT = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DeskBodies() {
    }

    /** The body as a JSON object; empty when absent or not an object. */
    static Optional<JsonNode> object(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return Optional.empty();
        }
        try {
            JsonNode json = STRICT.readValue(body.getBytes());
            return json != null && json.isObject() ? Optional.of(json) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #object}, but an absent or blank body counts as {@code {}}. */
    static Optional<JsonNode> objectOrEmpty(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.toString().isBlank()) {
            return Optional.of(Json.MAPPER.createObjectNode());
        }
        return object(ctx);
    }
}
