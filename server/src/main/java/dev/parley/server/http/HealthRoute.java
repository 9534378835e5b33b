package dev.parley.server.http;

import dev.parley.server.health.NodeHealth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /healthz} and {@code GET /readyz}, one body:
 * {@code {"status":"ok|degraded|unhealthy","down":["fanout"],"dependencies":{"fanout":{"kind":"redis","up":false,"essential":false}}}},
 * or just {@code {"status":"ok"}} for a node with no dependency outside itself (the single-node default).
 * {@code /healthz} is liveness — 200 while the process answers, whatever its dependencies say, so
 * an orchestrator does not restart every node when Redis or PostgreSQL blinks. {@code /readyz}
 * is what a load balancer asks: 503 only when an essential dependency is down; a degraded node
 * (Redis down) is still ready, because it serves by polling the store.
 */
final class HealthRoute {
    private final NodeHealth health;

    HealthRoute(NodeHealth health) {
        this.health = health;
    }

    void live(RoutingContext ctx) {
        NodeHealth.Report report = health.check();
        send(ctx, 200, report);
    }

    void ready(RoutingContext ctx) {
        NodeHealth.Report report = health.check();
        send(ctx, report.status() == NodeHealth.Status.UNHEALTHY ? 503 : 200, report);
    }

    private static void send(RoutingContext ctx, int status, NodeHealth.Report report) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body(report).encode());
    }

    /** A node with no dependencies answers exactly {@code {"status":"ok"}}, as single nodes always have. */
    private static JsonObject body(NodeHealth.Report report) {
        JsonObject body = new JsonObject().put("status", report.status().jsonName());
        if (report.dependencies().isEmpty()) {
            return body;
        }
        JsonObject dependencies = new JsonObject();
        report.dependencies().forEach((name, state) -> dependencies.put(name, new JsonObject()
                .put("kind", state.kind()).put("up", state.up()).put("essential", state.essential())));
        return body.put("down", new JsonArray(report.down())).put("dependencies", dependencies);
    }
}
