package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.notes.DeskNote;
import dev.parley.server.desk.notes.DeskNotes;
import dev.parley.server.http.ErrorResponses;
import io.vertx.core.Context;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal notes on the desk: {@code GET}/{@code POST /desk/api/conversations/{id}/notes}, the
 * {@code desk.note} socket command (through {@link DeskConnection}), the live push
 * ({@link NoteBroadcast}) and the notes of the read-only history ({@link HistoryNotes}).
 */
public final class NoteRoutes implements HistoryNotes {
    private static final Logger LOG = LoggerFactory.getLogger(NoteRoutes.class);
    static final String NOT_FOUND = "conversation not found";

    private final DeskNotes notes;
    private final NoteBroadcast broadcast;

    public NoteRoutes(DeskNotes notes, NoteBroadcast broadcast) {
        this.notes = notes;
        this.broadcast = broadcast;
    }

    /** {@code asAgent}: the desk's bearer check, which resolves the agent or answers 401. */
    void mount(Router router, BodyHandler body, BiConsumer<RoutingContext, BiConsumer<RoutingContext, DeskAgent>> asAgent) {
        router.get("/desk/api/conversations/:id/notes").handler(ctx -> asAgent.accept(ctx, this::list));
        router.post("/desk/api/conversations/:id/notes").handler(body).handler(ctx -> asAgent.accept(ctx, this::add));
    }

    @Override
    public List<JsonNode> notesOf(String sessionId) {
        return notes.of(sessionId).stream().<JsonNode>map(NoteJson::note).toList();
    }

    DeskNotes notes() {
        return notes;
    }

    /** See {@link NoteBroadcast#follow}. */
    Runnable follow(String sessionId, Consumer<String> sink) {
        return broadcast.follow(sessionId, sink);
    }

    private void list(RoutingContext ctx, DeskAgent agent) {
        answer(ctx, notes.list(agent, ctx.pathParam("id")), found -> {
            if (found.isEmpty()) {
                ErrorResponses.send(ctx.response(), 404, NOT_FOUND);
                return;
            }
            ObjectNode root = Json.MAPPER.createObjectNode();
            ArrayNode list = root.putArray("notes");
            found.get().forEach(n -> list.add(NoteJson.note(n)));
            json(ctx, 200, root);
        });
    }

    private void add(RoutingContext ctx, DeskAgent agent) {
        Optional<JsonNode> body = DeskBodies.object(ctx);
        if (body.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, "the body must be a JSON object with text");
            return;
        }
        JsonNode field = body.get().path("text");
        String text = field.isTextual() ? field.textValue() : null;
        Optional<String> refusal = DeskNotes.refusal(text);
        if (refusal.isPresent()) {
            ErrorResponses.send(ctx.response(), 400, refusal.get());
            return;
        }
        answer(ctx, notes.add(agent, ctx.pathParam("id"), text), stored -> {
            if (stored.isEmpty()) {
                ErrorResponses.send(ctx.response(), 404, NOT_FOUND);
                return;
            }
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.set("note", NoteJson.note(stored.get()));
            json(ctx, 201, root);
        });
    }

    /** Continues on the request's event loop (taken now: the stage completes on a desk or worker thread). */
    private static <T> void answer(RoutingContext ctx, CompletionStage<T> call, Consumer<T> then) {
        Context requestContext = ctx.vertx().getOrCreateContext();
        call.whenComplete((value, failure) -> requestContext.runOnContext(v -> {
            if (failure != null) {
                LOG.error("desk notes call failed", failure);
                ErrorResponses.send(ctx.response(), 500, "desk unavailable");
            } else {
                then.accept(value);
            }
        }));
    }

    private static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.toString());
    }

}
