package dev.parley.server.http.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.Strikes;
import dev.parley.server.http.ErrorResponses;
import dev.parley.server.operator.ConversationJson;
import dev.parley.server.operator.Erasure;
import dev.parley.server.operator.ListingCursor;
import dev.parley.server.operator.OperatorKeys;
import dev.parley.server.operator.TranscriptFormat;
import dev.parley.server.operator.Transcripts;
import dev.parley.server.store.ApiKey;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionQuery;
import dev.parley.server.store.SessionSummary;
import dev.parley.server.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API (issue 14, docs/operator-openapi.yaml), every route behind an operator API key:
 * <ul>
 *   <li>{@code GET /api/v1/operator/sessions}: the conversation listing, filtered and cursor-paged;</li>
 *   <li>{@code GET /api/v1/operator/sessions/:id}: one conversation's metadata (410 once erased);</li>
 *   <li>{@code GET /api/v1/operator/sessions/:id/events}: its stored events, paged by sequence;</li>
 *   <li>{@code GET /api/v1/operator/sessions/:id/transcript?format=json|text|html};</li>
 *   <li>{@code DELETE /api/v1/operator/sessions/:id}: erasure.</li>
 * </ul>
 * Store reads run on Vert.x workers and answer on the request's own event loop.
 */
public final class OperatorRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRoutes.class);
    static final int DEFAULT_SESSIONS = 50;
    static final int MAX_SESSIONS = 200;
    static final int DEFAULT_EVENTS = 100;
    static final int MAX_EVENTS = 1000;
    private static final String NOT_FOUND = "session not found";
    private static final String ERASED = "session erased";

    private final OperatorAuth auth;
    private final OperatorStore store;
    private final EventStore events;
    private final Transcripts transcripts;
    private final Erasure erasure;

    public OperatorRoutes(OperatorKeys keys, Strikes<String> failures, OperatorStore store, EventStore events,
                          Transcripts transcripts, Erasure erasure) {
        this.auth = new OperatorAuth(keys, failures);
        this.store = store;
        this.events = events;
        this.transcripts = transcripts;
        this.erasure = erasure;
    }

    public void mount(Router router) {
        router.route("/api/v1/operator/*").handler(this::authenticate);
        router.get("/api/v1/operator/sessions").handler(this::list);
        router.get("/api/v1/operator/sessions/:session_id").handler(this::one);
        router.get("/api/v1/operator/sessions/:session_id/events").handler(this::events);
        router.get("/api/v1/operator/sessions/:session_id/transcript").handler(this::transcript);
        router.delete("/api/v1/operator/sessions/:session_id").handler(this::erase);
    }

    private void authenticate(RoutingContext ctx) {
        // Content of conversations: never cached by a proxy or a browser.
        ctx.response().putHeader("Cache-Control", "no-store");
        auth.authenticate(ctx, key -> {
            ctx.put(ApiKey.class.getName(), key);
            ctx.next();
        });
    }

    // ---- GET /sessions -------------------------------------------------------------------------

    private void list(RoutingContext ctx) {
        SessionQuery query;
        try {
            query = ListingParameters.parse(ctx.request().params(), DEFAULT_SESSIONS, MAX_SESSIONS);
        } catch (IllegalArgumentException e) {
            ErrorResponses.send(ctx.response(), 400, e.getMessage());
            return;
        }
        blocking(ctx, () -> {
            List<SessionSummary> found = store.listSessions(query);
            return java.util.Map.entry(found, store.csatOf(found.stream().map(s -> s.session().id()).toList()));
        }, listed -> {
            List<SessionSummary> page = listed.getKey();
            ObjectNode body = Json.MAPPER.createObjectNode();
            ArrayNode sessions = body.putArray("sessions");
            page.forEach(s -> sessions.add(ConversationJson.summary(s, listed.getValue().get(s.session().id()))));
            if (page.size() == query.limit()) {
                SessionSummary last = page.get(page.size() - 1);
                body.put("next_cursor", ListingCursor.encode(
                        new SessionQuery.Position(last.session().createdAt(), last.session().id())));
            } else {
                body.putNull("next_cursor");
            }
            json(ctx, 200, body.toString());
        });
    }

    // ---- GET /sessions/:id ---------------------------------------------------------------------

    private void one(RoutingContext ctx) {
        String id = ctx.pathParam("session_id");
        blocking(ctx, () -> {
            Optional<SessionSummary> summary = store.findSessionSummary(id);
            if (summary.isEmpty()) {
                return store.findErasure(id).map(e -> erasedBody(ConversationJson.erasure(e)));
            }
            return Optional.of(ConversationJson.summary(summary.get(), store.csatOf(List.of(id)).get(id))
                    .put("last_sequence", events.headSequence(id)));
        }, found -> {
            if (found.isEmpty()) {
                ErrorResponses.send(ctx.response(), 404, NOT_FOUND);
            } else if (found.get().has("erasure")) {
                json(ctx, 410, found.get().toString());
            } else {
                json(ctx, 200, found.get().toString());
            }
        });
    }

    private static ObjectNode erasedBody(ObjectNode erasure) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", ERASED);
        body.set("erasure", erasure);
        return body;
    }

    // ---- GET /sessions/:id/events --------------------------------------------------------------

    private void events(RoutingContext ctx) {
        String id = ctx.pathParam("session_id");
        long after;
        int limit;
        try {
            after = ListingParameters.nonNegativeLong(ctx.request().getParam("after"), "after", 0);
            limit = ListingParameters.limit(ctx.request().getParam("limit"), DEFAULT_EVENTS, MAX_EVENTS);
        } catch (IllegalArgumentException e) {
            ErrorResponses.send(ctx.response(), 400, e.getMessage());
            return;
        }
        blocking(ctx, () -> {
            if (store.findSessionSummary(id).isEmpty()) {
                return Optional.<String>empty();
            }
            List<StoredEvent> page = events.readAfter(id, after, limit);
            StringBuilder body = new StringBuilder("{\"session_id\":").append(Json.MAPPER.writeValueAsString(id))
                    .append(",\"events\":[");
            for (int i = 0; i < page.size(); i++) {
                body.append(i == 0 ? "" : ",").append(page.get(i).json()); // each exactly as it was sent
            }
            body.append("],\"next_after\":")
                    .append(page.size() == limit ? Long.toString(page.get(page.size() - 1).sequence()) : "null").append('}');
            return Optional.of(body.toString());
        }, body -> {
            if (body.isEmpty()) {
                notFoundOrErased(ctx, id);
            } else {
                json(ctx, 200, body.get());
            }
        });
    }

    // ---- GET /sessions/:id/transcript ----------------------------------------------------------

    private void transcript(RoutingContext ctx) {
        String id = ctx.pathParam("session_id");
        String name = ctx.request().getParam("format");
        Optional<TranscriptFormat> format = name == null ? Optional.of(TranscriptFormat.JSON) : TranscriptFormat.parse(name);
        if (format.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, "format must be json, text or html");
            return;
        }
        blocking(ctx, () -> transcripts.export(id, format.get()), body -> {
            if (body.isEmpty()) {
                notFoundOrErased(ctx, id);
                return;
            }
            if (format.get() == TranscriptFormat.HTML) {
                // Escaped already; this makes sure nothing in the page could run or load anything.
                ctx.response().putHeader("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
            }
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Type", format.get().mediaType()).end(body.get());
        });
    }

    // ---- DELETE /sessions/:id ------------------------------------------------------------------

    private void erase(RoutingContext ctx) {
        String id = ctx.pathParam("session_id");
        ApiKey key = ctx.get(ApiKey.class.getName());
        Future.fromCompletionStage(erasure.erase(id, "api-key:" + key.id()), ctx.vertx().getOrCreateContext())
                .onComplete(done -> {
                    if (done.failed()) {
                        LOG.error("cannot erase session {}", id, done.cause());
                        ErrorResponses.send(ctx.response(), 503, "erasure failed; try again");
                    } else if (done.result().isEmpty()) {
                        ErrorResponses.send(ctx.response(), 404, NOT_FOUND);
                    } else {
                        LOG.info("session {} erased by operator API key {} ({})", id, key.id(), key.name());
                        json(ctx, 200, ConversationJson.erasure(done.result().get()).toString());
                    }
                });
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void notFoundOrErased(RoutingContext ctx, String id) {
        blocking(ctx, () -> store.findErasure(id), erased -> {
            if (erased.isPresent()) {
                json(ctx, 410, erasedBody(ConversationJson.erasure(erased.get())).toString());
            } else {
                ErrorResponses.send(ctx.response(), 404, NOT_FOUND);
            }
        });
    }

    /** Runs {@code work} on a worker; {@code then} runs on the request's event loop, a failure is a 503. */
    private static <T> void blocking(RoutingContext ctx, Callable<T> work, java.util.function.Consumer<T> then) {
        ctx.vertx().executeBlocking(work, false).onComplete(result -> {
            if (result.failed()) {
                LOG.error("operator request {} failed", ctx.request().path(), result.cause());
                ErrorResponses.send(ctx.response(), 503, "store unavailable; try again");
            } else {
                then.accept(result.result());
            }
        });
    }

    private static void json(RoutingContext ctx, int status, String body) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
        }
    }
}
