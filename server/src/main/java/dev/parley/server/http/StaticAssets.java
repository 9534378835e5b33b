package dev.parley.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The web widget, the headless client module and the demo page, read from the classpath once at
 * start-up and served from memory. They are small, and a redeploy is the only way they change.
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

    /** The demo page's widget tag as shipped; replaced by the connector the node actually runs. */
    private static final String SHIPPED_CONNECTOR = "data-connector-token=\"parley-demo-token\" data-host=\"localhost\"";
    private static final String SHIPPED_TAG_START = "<script src=\"/widget.js\" " + SHIPPED_CONNECTOR;

    /**
     * Images the demo flow points at ({@code /widget/assets/NAME}): a fixed list, so no request path
     * ever reaches the classpath lookup. SVG opened on its own is a document, hence the strict CSP.
     */
    static final List<String> ASSET_NAMES = List.of("ada.svg", "booking-preview.svg", "menu-preview.svg", "menu.svg");
    static final String ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    private final Buffer indexHtml;
    private final Buffer widgetJs = load("widget.js");
    private final Buffer clientJs = load("parley-client.js");
    private final Map<String, Buffer> assets = ASSET_NAMES.stream()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), name -> load("assets/" + name)));

    private StaticAssets(Buffer indexHtml) {
        this.indexHtml = indexHtml;
    }

    /** The demo page chats through this connector (the one {@code serve} created from its demo flags). */
    static StaticAssets forDemoConnector(String token, String host) {
        String page = load("index.html").toString(StandardCharsets.UTF_8);
        if (!page.contains(SHIPPED_CONNECTOR)) {
            throw new IllegalStateException("the demo page no longer carries " + SHIPPED_CONNECTOR);
        }
        return new StaticAssets(Buffer.buffer(page.replace(SHIPPED_CONNECTOR,
                "data-connector-token=\"" + attribute(token) + "\" data-host=\"" + attribute(host) + "\"")));
    }

    /** No demo connector runs: the page says so instead of offering a chat that cannot work. */
    static StaticAssets withoutDemoConnector() {
        String page = load("index.html").toString(StandardCharsets.UTF_8);
        int start = page.indexOf(SHIPPED_TAG_START);
        int end = start < 0 ? -1 : page.indexOf("</script>", start);
        if (end < 0) {
            throw new IllegalStateException("the demo page no longer carries its widget tag");
        }
        String notice = "<p class=\"no-demo\"><strong>No demo connector is configured on this server</strong>, so this"
                + " page has no chat. Start Parley with a demo connector (the default, or"
                + " <code>--demo-connector-token</code>), or create a connector with"
                + " <code>parley admin connector create</code> and embed the widget with its token.</p>";
        return new StaticAssets(Buffer.buffer(page.substring(0, start) + notice + page.substring(end + "</script>".length())));
    }

    /** Escaped for a double-quoted HTML attribute. */
    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

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

    /**
     * The headless client, an ES module. Browsers fetch cross-origin module scripts in CORS mode, so
     * a page on another site can {@code import} it only with an allow-origin header; {@code *} is
     * safe because the file is public and no credentials are involved.
     */
    void client(RoutingContext ctx) {
        ctx.response().putHeader("Access-Control-Allow-Origin", "*");
        serve(ctx, clientJs, "text/javascript; charset=utf-8");
    }

    /** Readable from any origin (an embedding page shows them in the widget); unknown names are 404. */
    void asset(RoutingContext ctx) {
        Buffer body = assets.get(ctx.pathParam("name"));
        if (body == null) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Content-Security-Policy", ASSET_CSP);
        serve(ctx, body, "image/svg+xml");
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
