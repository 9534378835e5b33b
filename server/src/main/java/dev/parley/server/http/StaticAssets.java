package dev.parley.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web widget and its demo page, read from the classpath once at start-up and served from
 * memory. They are small, and a redeploy is the only way they change.
 */
final class StaticAssets {
    private static final String BASE = "/dev/parley/widget/";

    /**
     * The demo page, hardened like {@code /desk}: only its own script, and fetch/WebSocket to this
     * origin; styles may be inline because the page has a style block and the widget injects its
     * own; images over https (agent avatars, attachment previews); never framed.
     */
    static final String INDEX_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' https: data:; form-action 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private final Buffer indexHtml = load("index.html");
    private final Buffer widgetJs = load("widget.js");

    void index(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", INDEX_CSP)
                .putHeader("X-Frame-Options", "DENY") // for browsers without frame-ancestors
                .putHeader("Referrer-Policy", "no-referrer");
        serve(ctx, indexHtml, "text/html; charset=utf-8");
    }

    /** No CSP and no framing rule here: the script runs inside other sites' pages, framed or not. */
    void widget(RoutingContext ctx) {
        serve(ctx, widgetJs, "application/javascript; charset=utf-8");
    }

    private static void serve(RoutingContext ctx, Buffer body, String contentType) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(body);
    }

    private static Buffer load(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + BASE + name);
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
