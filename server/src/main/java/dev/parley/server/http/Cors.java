package dev.parley.server.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Cross-origin access to the REST endpoints, so the widget can be embedded on any site: the
 * connector token and {@code X-Host} check decide who may use the API, not the browser's origin.
 * No cookies are involved, so credentials are never allowed.
 */
final class Cors {
    static final String ALLOW_HEADERS = "X-Token, X-Host, Content-Type, Authorization";
    static final String ALLOW_METHODS = "POST, OPTIONS";

    private Cors() {
    }

    /** Adds the CORS headers when the request has an Origin; answers a preflight with 204. */
    static void handle(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        HttpServerResponse response = ctx.response();
        if (origin != null) {
            response.putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Vary", "Origin")
                    .putHeader("Access-Control-Expose-Headers", "Retry-After");
        }
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            response.putHeader("Access-Control-Allow-Methods", ALLOW_METHODS)
                    .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
                    .putHeader("Access-Control-Max-Age", "600")
                    .setStatusCode(204)
                    .end();
            return;
        }
        ctx.next();
    }
}
