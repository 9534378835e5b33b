package dev.parley.server.http;

import dev.parley.protocol.codec.ClientEventDecoder;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.ConnectorAuthenticator;
import dev.parley.server.auth.ContextTokenVerifier;
import dev.parley.server.limits.HandshakeThrottle;
import dev.parley.server.limits.RateLimit;
import dev.parley.server.health.NodeHealth;
import dev.parley.server.http.desk.DeskRoutes;
import dev.parley.server.http.operator.OperatorRoutes;
import dev.parley.server.session.SessionRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/** The HTTP surface of a Parley node, readable at a glance: every route is in {@link #router}. */
public final class HttpApi {
    /** Session-creation bodies are tiny; anything bigger is refused before it is read. */
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final AccessTokenRoute accessToken;
    private final SessionsRoute sessions;
    private final WebSocketRoute webSocket;
    private final StaticAssets assets;
    /** The live-agent desk's routes; absent when the desk is disabled. */
    private final Optional<DeskRoutes> desk;
    /** Prometheus text of the node's meters; absent means no {@code /metrics} route. */
    private final Optional<Supplier<String>> metrics;
    /** What {@code /healthz} and {@code /readyz} report: the node's dependencies (none for one node). */
    private final NodeHealth health;
    /** {@code POST /api/v1/sessions/:session_id/context}; absent means no such route. */
    private final Optional<ContextRoute> context;
    /** The operator API ({@code /api/v1/operator/*}, issue 14); absent means no such routes. */
    private final Optional<OperatorRoutes> operator;
    /** {@code POST|GET /api/v1/sessions/:session_id/csat}; absent means no such routes. */
    private final Optional<CsatRoute> csat;

    public HttpApi(ConnectorAuthenticator connectors, AccessTokens tokens, SessionRegistry registry,
                   ClientEventDecoder decoder, RateLimit tokenLimiter, RateLimit sessionLimiter,
                   HandshakeThrottle handshakeFailures, OutboundBudget outbound) {
        this(new AccessTokenRoute(connectors, tokens, tokenLimiter), new SessionsRoute(tokens, registry, sessionLimiter),
                new WebSocketRoute(tokens, registry, decoder, handshakeFailures, outbound), StaticAssets.withoutDemoConnector(),
                Optional.empty(), Optional.empty(), NodeHealth.none(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private HttpApi(AccessTokenRoute accessToken, SessionsRoute sessions, WebSocketRoute webSocket, StaticAssets assets,
                    Optional<DeskRoutes> desk, Optional<Supplier<String>> metrics, NodeHealth health,
                    Optional<ContextRoute> context, Optional<OperatorRoutes> operator, Optional<CsatRoute> csat) {
        this.accessToken = accessToken;
        this.sessions = sessions;
        this.webSocket = webSocket;
        this.assets = assets;
        this.desk = desk;
        this.metrics = metrics;
        this.health = health;
        this.context = context;
        this.operator = operator;
        this.csat = csat;
    }

    /** The same API whose demo page {@code /} chats through the demo connector the node runs. */
    public HttpApi withDemoConnector(String token, String host) {
        return new HttpApi(accessToken, sessions, webSocket, StaticAssets.forDemoConnector(token, host), desk, metrics, health, context, operator, csat);
    }

    /** The same API plus the live-agent desk ({@code /desk/api/*}, {@code /desk/ws}). */
    public HttpApi withDesk(DeskRoutes routes) {
        return new HttpApi(accessToken, sessions, webSocket, assets, Optional.of(routes), metrics, health, context, operator, csat);
    }

    /**
     * The same API plus {@code GET /metrics} answering {@code scrape} in the Prometheus text format.
     * Unauthenticated like {@code /healthz}: keep the node's port off the public internet or filter
     * {@code /metrics} at the proxy.
     */
    public HttpApi withMetrics(Supplier<String> scrape) {
        return new HttpApi(accessToken, sessions, webSocket, assets, desk, Optional.of(scrape), health, context, operator, csat);
    }

    /** The same API whose {@code /healthz} and {@code /readyz} report these dependencies. */
    public HttpApi withHealth(NodeHealth value) {
        return new HttpApi(accessToken, sessions, webSocket, assets, desk, metrics, value, context, operator, csat);
    }

    /**
     * The same API plus verified-context submission ({@code POST /api/v1/sessions/:session_id/context}),
     * rate limited per access token by {@code limiter} like session creation.
     */
    public HttpApi withVerifiedContext(AccessTokens tokens, SessionRegistry registry, ContextTokenVerifier verifier,
                                       RateLimit limiter, Clock clock) {
        return new HttpApi(accessToken, sessions, webSocket, assets, desk, metrics, health,
                Optional.of(new ContextRoute(tokens, registry, verifier, limiter, clock)), operator, csat);
    }

    /** The same API plus the operator API ({@code /api/v1/operator/*}, docs/operator-openapi.yaml). */
    public HttpApi withOperatorApi(OperatorRoutes routes) {
        return new HttpApi(accessToken, sessions, webSocket, assets, desk, metrics, health, context, Optional.of(routes), csat);
    }

    /**
     * The same API plus CSAT ({@code POST} and {@code GET /api/v1/sessions/:session_id/csat}), authenticated
     * like session creation and rate limited per access token by {@code limiter}.
     */
    public HttpApi withCsat(AccessTokens tokens, dev.parley.server.csat.Csat ratings, RateLimit limiter) {
        return new HttpApi(accessToken, sessions, webSocket, assets, desk, metrics, health, context, operator,
                Optional.of(new CsatRoute(tokens, ratings, limiter)));
    }

    /** A graceful stop: the desk's sockets are closed with 1012 (user sockets are closed by their sessions). */
    public void closeDeskSocketsForRestart() {
        desk.ifPresent(DeskRoutes::closeSocketsForRestart);
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route("/api/v1/*").handler(Cors::handle);
        router.post("/api/v1/access-token").handler(accessToken::handle);
        router.post("/api/v1/sessions").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(sessions::handle);
        context.ifPresent(route -> router.post("/api/v1/sessions/:session_id/context")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(route::handle));
        csat.ifPresent(route -> {
            router.post("/api/v1/sessions/:session_id/csat")
                    .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(route::give);
            router.get("/api/v1/sessions/:session_id/csat").handler(route::read);
        });
        // Operator API, when enabled: GET /api/v1/operator/sessions[/:id[/events|/transcript]], DELETE /api/v1/operator/sessions/:id.
        operator.ifPresent(o -> o.mount(router));
        router.get("/ws").handler(webSocket::handle);
        // Live-agent desk, when enabled: POST /desk/api/login, GET /desk/api/me, GET /desk/api/queues,
        // POST /desk/api/claim, GET /desk/api/conversations/:id/transcript, PUT /desk/api/presence, GET /desk/ws.
        desk.ifPresent(d -> d.mount(router));
        HealthRoute healthRoute = new HealthRoute(health);
        router.get("/healthz").handler(healthRoute::live);
        router.get("/readyz").handler(healthRoute::ready);
        metrics.ifPresent(scrape -> router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(scrape.get())));
        router.get("/").handler(assets::index);
        router.get("/widget.js").handler(assets::widget);
        router.get("/parley-client.js").handler(assets::client);
        router.get("/widget/assets/:name").handler(assets::asset);
        DeskPage.register(router);
        // §13.30: JSON errors for unknown paths and wrong methods too.
        router.errorHandler(404, ctx -> ErrorResponses.send(ctx.response(), 404, "not found"));
        router.errorHandler(405, ctx -> ErrorResponses.send(ctx.response(), 405, "method not allowed"));
        router.errorHandler(413, ctx -> ErrorResponses.send(ctx.response(), 413, "request body too large"));
        router.errorHandler(400, ctx -> ErrorResponses.send(ctx.response(), 400, "bad request"));
        return router;
    }
}
