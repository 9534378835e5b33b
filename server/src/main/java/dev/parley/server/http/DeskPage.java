package dev.parley.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The live-agent desk web page ({@code GET /desk}) and its script and style sheet. The three files ship in the
 * widget module and are read from the classpath once, when this class loads; each response wraps those bytes.
 * The desk API itself lives under {@code /desk/api} and {@code /desk/ws}.
 */
public final class DeskPage {
    private static final String BASE = "/dev/parley/widget/";
    private static final byte[] HTML = load("desk.html");
    private static final byte[] JS = load("desk.js");
    private static final byte[] CSS = load("desk.css");
    /** Same-origin only: the page's own script and style, fetch and WebSocket to the desk API, https images. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' https: data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private DeskPage() {
    }

    public static void register(Router router) {
        router.get("/desk").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-cache")
                .end(Buffer.buffer(HTML)));
        router.get("/desk/desk.js").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/javascript; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-cache")
                .end(Buffer.buffer(JS)));
        router.get("/desk/desk.css").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/css; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-cache")
                .end(Buffer.buffer(CSS)));
    }

    private static byte[] load(String name) {
        try (InputStream in = DeskPage.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + BASE + name + " (parley-widget)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
