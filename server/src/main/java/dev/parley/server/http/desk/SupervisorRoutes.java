package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskPort;
import dev.parley.server.desk.SupervisorResult;
import dev.parley.server.http.ErrorResponses;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The supervisor's REST calls (docs/desk-openapi.yaml): the team overview, taking a conversation
 * over and reassigning it. The desk decides who may ({@link DeskPort}); a plain agent gets 403.
 */
final class SupervisorRoutes {
    private final DeskPort desk;

    SupervisorRoutes(DeskPort desk) {
        this.desk = desk;
    }

    /** {@code GET /desk/api/supervisor/overview}. */
    void overview(RoutingContext ctx, DeskAgent agent) {
        DeskRoutes.answer(ctx, desk.overview(agent.id()), overview -> {
            if (overview.isEmpty()) {
                ErrorResponses.send(ctx.response(), 403, DeskConnection.SUPERVISORS_ONLY);
            } else {
                ctx.response().putHeader("Cache-Control", "no-store");
                DeskRoutes.json(ctx, 200, DeskJson.overview(overview.get()));
            }
        });
    }

    /** {@code POST /desk/api/supervisor/take-over} {@code {"session_id"}}. */
    void takeOver(RoutingContext ctx, DeskAgent agent) {
        Optional<String> sessionId = field(ctx, "session_id");
        if (sessionId.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, "session_id is required");
            return;
        }
        DeskRoutes.answer(ctx, desk.takeOver(agent.id(), sessionId.get()), result -> done(ctx, result));
    }

    /** {@code POST /desk/api/supervisor/reassign} {@code {"session_id", "agent_id"}}. */
    void reassign(RoutingContext ctx, DeskAgent agent) {
        Optional<String> sessionId = field(ctx, "session_id");
        Optional<String> target = field(ctx, "agent_id");
        if (sessionId.isEmpty() || target.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, "session_id and agent_id are required");
            return;
        }
        DeskRoutes.answer(ctx, desk.reassign(agent.id(), sessionId.get(), target.get()), result -> done(ctx, result));
    }

    private static void done(RoutingContext ctx, SupervisorResult result) {
        switch (result.outcome()) {
            case DONE -> {
                ObjectNode node = Json.MAPPER.createObjectNode();
                node.set("conversation", DeskJson.conversation(result.conversation()));
                DeskRoutes.json(ctx, 200, node);
            }
            case NOT_SUPERVISOR -> ErrorResponses.send(ctx.response(), 403, DeskConnection.refusal(result));
            default -> ErrorResponses.send(ctx.response(), 409, DeskConnection.refusal(result));
        }
    }

    private static Optional<String> field(RoutingContext ctx, String name) {
        return DeskBodies.object(ctx).map(j -> j.path(name)).filter(JsonNode::isTextual).map(JsonNode::textValue)
                .filter(v -> !v.isBlank());
    }
}
