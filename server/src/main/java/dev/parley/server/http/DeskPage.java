package dev.parley.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live-agent desk web page ({@code GET /desk}) and its scripts and style sheets. The files ship in the
 * widget module; {@code desk.html} is their manifest: every {@code /desk/desk*.js} script and
 * {@code /desk/desk*.css} style sheet it names is read from the classpath once, when this class loads, so a
 * desk feature in a file of its own needs only its tag in the page. The desk API itself lives under
 * {@code /desk/api} and {@code /desk/ws}.
 */
public final class DeskPage {
    private static final String BASE = "/dev/parley/widget/";
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"/desk/(desk[a-z-]*\\.(?:js|css))\"");
    private static final byte[] HTML = load("desk.html");
    private static final Map<String, byte[]> ASSETS = assetsNamedIn(HTML);
    /** Same-origin only: the page's own script and style, fetch and WebSocket to the desk API, https images. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' https: data:; media-src 'self' data:; form-action 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'";

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
        ASSETS.forEach((name, bytes) -> router.get("/desk/" + name).handler(ctx -> ctx.response()
                .putHeader("Content-Type", name.endsWith(".js")
                        ? "application/javascript; charset=utf-8" : "text/css; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-cache")
                .end(Buffer.buffer(bytes))));
    }

    private static Map<String, byte[]> assetsNamedIn(byte[] html) {
        Map<String, byte[]> assets = new LinkedHashMap<>();
        Matcher m = ASSET.matcher(new String(html, StandardCharsets.UTF_8));
        while (m.find()) {
            assets.putIfAbsent(m.group(1), load(m.group(1)));
        }
        return Map.copyOf(assets);
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
