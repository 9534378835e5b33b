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

    private final Buffer indexHtml = load("index.html");
    private final Buffer widgetJs = load("widget.js");

    void index(RoutingContext ctx) {
        serve(ctx, indexHtml, "text/html; charset=utf-8");
    }

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
