package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.canned.CannedReplies;
import dev.parley.server.desk.canned.CannedReply;
import dev.parley.server.desk.canned.InvalidCannedReplyException;
import dev.parley.server.desk.canned.ShortcutTakenException;
import dev.parley.server.http.ErrorResponses;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Canned replies on the desk: {@code GET /desk/api/canned} for every agent (what they may use), and writes for
 * supervisors only. Store calls run on a worker; the answer comes back on the request's event loop.
 */
final class CannedReplyRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CannedReplyRoutes.class);
    static final String SUPERVISORS_ONLY = "supervisors only";
    static final String NOT_FOUND = "canned reply not found";

    /** The desk's bearer check: resolves the agent, or answers 401 itself. */
    @FunctionalInterface
    interface AsAgent {
        void handle(RoutingContext ctx, BiConsumer<RoutingContext, DeskAgent> route);
    }

    /** A store call whose empty answer is a 404. */
    private record Answer(int status, Optional<JsonNode> body) {
    }

    private final CannedReplies replies;

    CannedReplyRoutes(CannedReplies replies) {
        this.replies = replies;
    }

    void mount(Router router, Handler<RoutingContext> body, AsAgent asAgent) {
        router.get("/desk/api/canned").handler(ctx -> asAgent.handle(ctx, this::list));
        router.post("/desk/api/canned").handler(body).handler(ctx -> asAgent.handle(ctx, supervisor(this::create)));
        router.put("/desk/api/canned/:id").handler(body).handler(ctx -> asAgent.handle(ctx, supervisor(this::edit)));
        router.delete("/desk/api/canned/:id").handler(ctx -> asAgent.handle(ctx, supervisor(this::remove)));
    }

    private void list(RoutingContext ctx, DeskAgent agent) {
        String queue = ctx.request().getParam("queue");
        run(ctx, () -> {
            ArrayNode list = Json.MAPPER.createArrayNode();
            replies.usableBy(agent, queue == null || queue.isBlank() ? null : queue).forEach(r -> list.add(json(r)));
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.set("replies", list);
            return new Answer(200, Optional.of(node));
        });
    }

    private void create(RoutingContext ctx, DeskAgent agent) {
        Optional<JsonNode> body = DeskBodies.object(ctx);
        Optional<String> problem = body.map(CannedReplyRoutes::typeProblem).orElse(Optional.of("a JSON object is required"));
        if (problem.isPresent()) {
            ErrorResponses.send(ctx.response(), 400, problem.get());
            return;
        }
        JsonNode b = body.get();
        run(ctx, () -> new Answer(201, Optional.of(json(replies.create(agent.connectorId(), text(b, "queue"),
                text(b, "shortcut"), text(b, "title"), text(b, "text"))))));
    }

    private void edit(RoutingContext ctx, DeskAgent agent) {
        Optional<JsonNode> body = DeskBodies.object(ctx);
        Optional<String> problem = body.map(CannedReplyRoutes::typeProblem).orElse(Optional.of("a JSON object is required"));
        if (problem.isPresent()) {
            ErrorResponses.send(ctx.response(), 400, problem.get());
            return;
        }
        JsonNode b = body.get();
        CannedReplies.Changes changes = new CannedReplies.Changes(text(b, "shortcut"), text(b, "title"), text(b, "text"),
                b.has("queue"), text(b, "queue"));
        String id = ctx.pathParam("id");
        run(ctx, () -> new Answer(200, replies.edit(agent.connectorId(), id, changes).map(CannedReplyRoutes::json)));
    }

    private void remove(RoutingContext ctx, DeskAgent agent) {
        String id = ctx.pathParam("id");
        run(ctx, () -> new Answer(204, replies.remove(agent.connectorId(), id)
                ? Optional.of(Json.MAPPER.nullNode()) : Optional.empty()));
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private static BiConsumer<RoutingContext, DeskAgent> supervisor(BiConsumer<RoutingContext, DeskAgent> route) {
        return (ctx, agent) -> {
            if (!agent.supervisor()) {
                ErrorResponses.send(ctx.response(), 403, SUPERVISORS_ONLY);
            } else {
                route.accept(ctx, agent);
            }
        };
    }

    /** queue may be null (every queue); the others, when present, must be strings. */
    private static Optional<String> typeProblem(JsonNode body) {
        for (String field : new String[] {"shortcut", "title", "text"}) {
            JsonNode v = body.path(field);
            if (!v.isMissingNode() && !v.isTextual()) {
                return Optional.of(field + " must be a string");
            }
        }
        JsonNode queue = body.path("queue");
        if (!queue.isMissingNode() && !queue.isNull() && !queue.isTextual()) {
            return Optional.of("queue must be a string or null");
        }
        return Optional.empty();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        return v.isTextual() ? v.textValue() : null;
    }

    static ObjectNode json(CannedReply r) {
        return Json.MAPPER.createObjectNode()
                .put("id", r.id())
                .put("queue", r.queue())
                .put("shortcut", r.shortcut())
                .put("title", r.title())
                .put("text", r.text())
                .put("created_at", Timestamps.format(r.createdAt()))
                .put("updated_at", Timestamps.format(r.updatedAt()));
    }

    private static void run(RoutingContext ctx, Callable<Answer> work) {
        ctx.vertx().executeBlocking(work, false).onComplete(result -> {
            if (result.succeeded()) {
                Answer a = result.result();
                if (a.body().isEmpty()) {
                    ErrorResponses.send(ctx.response(), 404, NOT_FOUND);
                } else if (a.status() == 204) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    ctx.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json")
                            .putHeader("Cache-Control", "no-store").end(a.body().get().toString());
                }
            } else if (result.cause() instanceof InvalidCannedReplyException e) {
                ErrorResponses.send(ctx.response(), 400, e.getMessage());
            } else if (result.cause() instanceof ShortcutTakenException e) {
                ErrorResponses.send(ctx.response(), 409, e.getMessage());
            } else {
                LOG.error("canned replies failed", result.cause());
                ErrorResponses.send(ctx.response(), 500, "desk unavailable");
            }
        });
    }
}
