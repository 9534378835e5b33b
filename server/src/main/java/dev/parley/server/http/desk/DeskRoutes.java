package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.desk.DeskPort;
import dev.parley.server.desk.OfflineDesk;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskSnapshot;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.Presence;
import dev.parley.server.operator.TranscriptFormat;
import dev.parley.server.http.ErrorResponses;
import dev.parley.server.http.OutboundBudget;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.ContextStore;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.OperatorStore;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live-agent desk over HTTP (docs/desk-api.md, docs/desk-openapi.yaml). Every route is in
 * {@link #mount}. Blocking work (agent lookup, history) runs on a worker, never on the event loop;
 * password checks run only on the {@link DeskGuards#passwords() bcrypt pool}, after the log-in
 * throttle let them in; desk calls are asynchronous already.
 */
public final class DeskRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DeskRoutes.class);
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final DeskAuthenticator auth;
    private final AgentDirectory agents;
    private final DeskPort desk;
    private final Transcripts transcripts;
    private final OfflineMessages offline;
    private final OfflineDesk offlineDesk;
    private final DeskSocket socket;
    private final DeskGuards guards;
    private final DeskHistory history;
    /** Set once by the composition root before {@link #mount}; null when the node has no canned replies. */
    private CannedReplyRoutes canned;
    private final NoteRoutes notes;
    /** The operator API's json/text/html rendering, reused for the desk's downloads. */
    private final dev.parley.server.operator.Transcripts exports;
    private final ConversationDetails details;
    private final SupervisorRoutes supervisor;

    /**
     * {@code events} also yields each conversation's verified context, shown with its transcript;
     * {@code operators} searches the history; {@code notes} are the internal notes (their routes, socket
     * command and push, and the history's notes).
     */
    public <S extends EventStore & ContextStore> DeskRoutes(DeskAuthenticator auth, AgentDirectory agents, DeskPort desk,
                      OfflineDesk offlineDesk, SessionRegistry sessions, S events, OperatorStore operators, NoteRoutes notes,
                      DeskGuards guards, OutboundBudget outbound) {
        this.auth = auth;
        this.exports = new dev.parley.server.operator.Transcripts(operators, events, events);
        this.history = new DeskHistory(operators, exports, agents, notes);
        this.details = new ConversationDetails(operators, events, events);
        this.agents = agents;
        this.desk = desk;
        this.offlineDesk = offlineDesk;
        this.transcripts = new Transcripts(events, events);
        this.offline = new OfflineMessages(events);
        this.socket = new DeskSocket(auth, agents, desk, sessions, guards.badTokens(), outbound, notes, details);
        this.notes = notes;
        this.guards = guards;
        this.supervisor = new SupervisorRoutes(desk);
    }

    /** Adds the canned-reply calls ({@code /desk/api/canned}); call before {@link #mount}. */
    public DeskRoutes withCannedReplies(dev.parley.server.desk.canned.CannedReplies replies) {
        this.canned = new CannedReplyRoutes(replies);
        return this;
    }

    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post("/desk/api/login").handler(body).handler(this::login);
        router.get("/desk/api/me").handler(ctx -> asAgent(ctx, this::me));
        router.get("/desk/api/queues").handler(ctx -> asAgent(ctx, this::queues));
        router.post("/desk/api/claim").handler(body).handler(ctx -> asAgent(ctx, this::claim));
        router.get("/desk/api/conversations/:id/transcript").handler(ctx -> asAgent(ctx, this::transcript));
        router.get("/desk/api/offline").handler(ctx -> asAgent(ctx, this::offline));
        router.post("/desk/api/offline/:id/handled").handler(ctx -> asAgent(ctx, this::handled));
        router.get("/desk/api/history").handler(ctx -> asAgent(ctx, this::history));
        router.get("/desk/api/history/:id").handler(ctx -> asAgent(ctx, this::historyTranscript));
        router.get("/desk/api/history/:id/transcript").handler(ctx -> asAgent(ctx, this::historyExport));
        router.put("/desk/api/presence").handler(body).handler(ctx -> asAgent(ctx, this::presence));
        notes.mount(router, body, this::asAgent);
        router.get("/desk/api/supervisor/overview").handler(ctx -> asAgent(ctx, supervisor::overview));
        router.post("/desk/api/supervisor/take-over").handler(body).handler(ctx -> asAgent(ctx, supervisor::takeOver));
        router.post("/desk/api/supervisor/reassign").handler(body).handler(ctx -> asAgent(ctx, supervisor::reassign));
        router.get("/desk/ws").handler(socket::handle);
        if (canned != null) {
            canned.mount(router, body, this::asAgent);
        }
    }

    /** A graceful stop: closes every desk socket with 1012 (see {@link DeskSocket#closeAllForRestart}). */
    public void closeSocketsForRestart() {
        socket.closeAllForRestart();
    }

    // ---- routes --------------------------------------------------------------------------------

    private void login(RoutingContext ctx) {
        Optional<JsonNode> json = DeskBodies.object(ctx);
        String name = json.map(j -> j.path("name")).filter(JsonNode::isTextual).map(JsonNode::textValue).orElse(null);
        String password = json.map(j -> j.path("password")).filter(JsonNode::isTextual).map(JsonNode::textValue).orElse(null);
        if (name == null || password == null) {
            ErrorResponses.send(ctx.response(), 400, "name and password are required");
            return;
        }
        String address = ClientAddress.of(ctx.request());
        // Throttled before any bcrypt work: a refused attempt costs a lookup (local, or one Redis
        // call when the counts are shared by all nodes), nothing more.
        guards.logins().begin(name, address).onComplete(decided -> {
            if (decided.failed()) {
                LOG.error("desk log-in throttle failed", decided.cause());
                ErrorResponses.send(ctx.response(), 500, "desk unavailable");
            } else if (decided.result() instanceof RateDecision.Limited limited) {
                ErrorResponses.tooMany(ctx.response(), DeskGuards.TOO_MANY_LOGINS, limited.retryAfterSeconds());
            } else {
                checkPassword(ctx, name, password, address);
            }
        });
    }

    private void checkPassword(RoutingContext ctx, String name, String password, String address) {
        Optional<CompletableFuture<Optional<DeskAuthenticator.LoggedIn>>> checking =
                guards.passwords().trySubmit(() -> auth.login(name, password));
        if (checking.isEmpty()) {
            guards.logins().abandoned(name, address).onComplete(taken -> {
                ctx.response().putHeader("Retry-After", "1");
                ErrorResponses.send(ctx.response(), 503, DeskGuards.LOGIN_BUSY);
            });
            return;
        }
        answer(ctx, checking.get(), loggedIn -> {
            if (loggedIn.isEmpty()) {
                ErrorResponses.send(ctx.response(), 401, "invalid credentials");
            } else {
                DeskAuthenticator.LoggedIn in = loggedIn.get();
                ObjectNode answer = Json.MAPPER.createObjectNode()
                        .put("token", in.token())
                        .put("expires_in", in.expiresInSeconds());
                answer.set("agent", DeskJson.agent(in.agent()));
                // Answered once the counts are cleared, so the agent's next log-in (on any node) sees it.
                guards.logins().succeeded(name, address).onComplete(cleared -> {
                    ctx.response().putHeader("Cache-Control", "no-store");
                    json(ctx, 200, answer);
                });
            }
        });
    }

    private void me(RoutingContext ctx, DeskAgent agent) {
        withDetails(ctx, agent, (snapshot, known) -> {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.set("agent", DeskJson.agent(agent));
            DeskJson.fillSnapshot(node, snapshot, known);
            json(ctx, 200, node);
        });
    }

    private void queues(RoutingContext ctx, DeskAgent agent) {
        withDetails(ctx, agent, (snapshot, known) -> json(ctx, 200, DeskJson.snapshot(snapshot, known)));
    }

    /** The agent's snapshot with the customer details of their conversations (read on a worker). */
    private void withDetails(RoutingContext ctx, DeskAgent agent,
                             BiConsumer<DeskSnapshot, Map<String, CustomerDetails>> then) {
        answer(ctx, desk.snapshot(agent.id()), snapshot -> answer(ctx, details.loadAll(ctx.vertx(),
                snapshot.mine().stream().map(HandoffRecord::sessionId).toList()), known -> then.accept(snapshot, known)));
    }

    private void claim(RoutingContext ctx, DeskAgent agent) {
        Optional<JsonNode> body = DeskBodies.objectOrEmpty(ctx);
        JsonNode sessionId = body.map(j -> j.path("session_id")).orElse(null);
        if (body.isEmpty() || !(sessionId.isMissingNode() || sessionId.isNull() || sessionId.isTextual())) {
            ErrorResponses.send(ctx.response(), 400, "session_id must be a string");
            return;
        }
        String wanted = sessionId.isTextual() ? sessionId.textValue() : null;
        answer(ctx, desk.claim(agent.id(), wanted), won -> {
            if (won.isEmpty()) {
                ErrorResponses.send(ctx.response(), 409, DeskConnection.NOT_AVAILABLE);
            } else {
                answer(ctx, details.load(ctx.vertx(), won.get().sessionId()), customer -> {
                    ObjectNode node = Json.MAPPER.createObjectNode();
                    node.set("conversation", DeskJson.conversation(won.get(), customer));
                    json(ctx, 200, node);
                });
            }
        });
    }

    private void transcript(RoutingContext ctx, DeskAgent agent) {
        String sessionId = ctx.pathParam("id");
        Optional<Optional<TranscriptFormat>> format = format(ctx);
        if (format.isEmpty()) {
            return;
        }
        answer(ctx, desk.owns(agent.id(), sessionId), owned -> {
            if (!owned) {
                ErrorResponses.send(ctx.response(), 404, "conversation not found");
                return;
            }
            if (format.get().isPresent()) {
                download(ctx, sessionId, format.get().get(), () -> exports.export(sessionId, format.get().get()));
                return;
            }
            ctx.vertx().executeBlocking(() -> transcripts.of(sessionId), false).onComplete(result -> {
                if (result.failed()) {
                    LOG.error("cannot read the transcript of {}", sessionId, result.cause());
                    ErrorResponses.send(ctx.response(), 500, "desk unavailable");
                } else {
                    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(result.result());
                }
            });
        });
    }

    /** Handoffs asked for outside business hours, with what the users left (unhandled ones of the agent's queues). */
    private void offline(RoutingContext ctx, DeskAgent agent) {
        answer(ctx, offlineDesk.of(agent.id()), list ->
                ctx.vertx().executeBlocking(() -> offline.of(list), false).onComplete(result -> {
                    if (result.failed()) {
                        LOG.error("cannot read the offline conversations", result.cause());
                        ErrorResponses.send(ctx.response(), 500, "desk unavailable");
                    } else {
                        json(ctx, 200, result.result());
                    }
                }));
    }

    private void handled(RoutingContext ctx, DeskAgent agent) {
        answer(ctx, offlineDesk.markHandled(agent.id(), ctx.pathParam("id")), done -> {
            if (done) {
                ctx.response().setStatusCode(204).end();
            } else {
                ErrorResponses.send(ctx.response(), 404, "offline conversation not found");
            }
        });
    }

    private void history(RoutingContext ctx, DeskAgent agent) {
        HistoryParameters parameters;
        try {
            parameters = HistoryParameters.parse(ctx.request().params());
        } catch (IllegalArgumentException e) {
            ErrorResponses.send(ctx.response(), 400, e.getMessage());
            return;
        }
        blocking(ctx, "search the history", () -> Optional.of(history.search(agent, parameters)));
    }

    private void historyTranscript(RoutingContext ctx, DeskAgent agent) {
        String sessionId = ctx.pathParam("id");
        blocking(ctx, "read the history of " + sessionId, () -> history.transcript(agent, sessionId));
    }

    /** {@code GET /desk/api/history/{id}/transcript?format=}: an ended conversation's download (JSON without a format). */
    private void historyExport(RoutingContext ctx, DeskAgent agent) {
        String sessionId = ctx.pathParam("id");
        Optional<Optional<TranscriptFormat>> format = format(ctx);
        if (format.isPresent()) {
            TranscriptFormat chosen = format.get().orElse(TranscriptFormat.JSON);
            download(ctx, sessionId, chosen, () -> history.export(agent, sessionId, chosen));
        }
    }

    /**
     * The {@code format} parameter: empty (and answered 400) when it names no format, else the
     * format, absent when the caller gave none.
     */
    private static Optional<Optional<TranscriptFormat>> format(RoutingContext ctx) {
        String name = ctx.request().getParam("format");
        if (name == null) {
            return Optional.of(Optional.empty());
        }
        Optional<TranscriptFormat> format = TranscriptFormat.parse(name);
        if (format.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, "format must be json, text or html");
            return Optional.empty();
        }
        return Optional.of(format);
    }

    /**
     * A transcript download, rendered on a worker as the operator API renders it: JSON and text as
     * attachments, the printable HTML inline under a policy that lets nothing in it run or load.
     */
    private static void download(RoutingContext ctx, String sessionId, TranscriptFormat format,
                                 java.util.concurrent.Callable<Optional<String>> render) {
        ctx.vertx().executeBlocking(render, false).onComplete(result -> {
            if (result.failed()) {
                LOG.error("cannot export the transcript of {}", sessionId, result.cause());
                ErrorResponses.send(ctx.response(), 500, "desk unavailable");
                return;
            }
            if (result.result().isEmpty()) {
                ErrorResponses.send(ctx.response(), 404, "conversation not found");
                return;
            }
            String file = "conversation-" + sessionId.replaceAll("[^A-Za-z0-9_-]", "_") + "."
                    + switch (format) {
                        case JSON -> "json";
                        case TEXT -> "txt";
                        case HTML -> "html";
                    };
            if (format == TranscriptFormat.HTML) {
                ctx.response().putHeader("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
            }
            ctx.response().setStatusCode(200)
                    .putHeader("Content-Type", format.mediaType())
                    .putHeader("Content-Disposition",
                            (format == TranscriptFormat.HTML ? "inline" : "attachment") + "; filename=\"" + file + "\"")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Cache-Control", "no-store")
                    .end(result.result().get());
        });
    }

    /** Runs a store read on a worker; empty is a 404. */
    private static void blocking(RoutingContext ctx, String what, java.util.concurrent.Callable<Optional<String>> read) {
        ctx.vertx().executeBlocking(read, false).onComplete(result -> {
            if (result.failed()) {
                LOG.error("cannot {}", what, result.cause());
                ErrorResponses.send(ctx.response(), 500, "desk unavailable");
            } else if (result.result().isEmpty()) {
                ErrorResponses.send(ctx.response(), 404, "conversation not found");
            } else {
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store").end(result.result().get());
            }
        });
    }

    private void presence(RoutingContext ctx, DeskAgent agent) {
        String value = DeskBodies.object(ctx).map(j -> j.path("presence")).filter(JsonNode::isTextual)
                .map(JsonNode::textValue).orElse("");
        if (!value.equals(Presence.AVAILABLE.name()) && !value.equals(Presence.AWAY.name())) {
            ErrorResponses.send(ctx.response(), 400, "presence must be AVAILABLE or AWAY");
            return;
        }
        desk.setPresence(agent.id(), Presence.valueOf(value));
        ctx.response().setStatusCode(204).end();
    }

    // ---- plumbing ------------------------------------------------------------------------------

    /** Resolves the bearer token to the agent (off the event loop), or answers 401. */
    private void asAgent(RoutingContext ctx, BiConsumer<RoutingContext, DeskAgent> route) {
        Optional<String> token = DeskBearer.fromHeader(ctx.request().getHeader("Authorization"));
        if (token.isEmpty()) {
            ErrorResponses.send(ctx.response(), 401, DeskBearer.INVALID);
            return;
        }
        String address = ClientAddress.of(ctx.request());
        guards.badTokens().check(address).onComplete(checked -> {
            if (checked.succeeded() && checked.result() instanceof RateDecision.Limited limited) {
                ErrorResponses.tooMany(ctx.response(), DeskGuards.TOO_MANY_BAD_TOKENS, limited.retryAfterSeconds());
            } else {
                resolve(ctx, token.get(), address, route);
            }
        });
    }

    private void resolve(RoutingContext ctx, String token, String address, BiConsumer<RoutingContext, DeskAgent> route) {
        Future<Optional<DeskAgent>> found = ctx.vertx().executeBlocking(
                () -> auth.agentIdOf(token).flatMap(agents::find), false);
        found.onComplete(result -> {
            if (result.failed()) {
                LOG.error("desk token check failed", result.cause());
                ErrorResponses.send(ctx.response(), 500, "desk unavailable");
            } else if (result.result().isEmpty()) {
                guards.badTokens().strike(address)
                        .onComplete(counted -> ErrorResponses.send(ctx.response(), 401, DeskBearer.INVALID));
            } else {
                route.accept(ctx, result.result().get());
            }
        });
    }

    /** Continues with a desk answer on the request's context; a failed desk call is a 500. */
    static <T> void answer(RoutingContext ctx, CompletionStage<T> call, java.util.function.Consumer<T> then) {
        // Taken now, on the request's event loop: from the desk's thread, vertx.runOnContext would pick any loop.
        io.vertx.core.Context requestContext = ctx.vertx().getOrCreateContext();
        call.whenComplete((value, failure) -> requestContext.runOnContext(v -> {
            if (failure != null) {
                LOG.error("desk call failed", failure);
                ErrorResponses.send(ctx.response(), 500, "desk unavailable");
            } else {
                then.accept(value);
            }
        }));
    }

    static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
