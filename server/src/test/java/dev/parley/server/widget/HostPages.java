package dev.parley.server.widget;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pages of a site that embeds the widget, served from another origin (another loopback port) than
 * the chat server, as a real embedding is.
 */
final class HostPages implements AutoCloseable {
    private final HttpServer http;
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    private HostPages(HttpServer http) {
        this.http = http;
    }

    static HostPages start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            HostPages site = new HostPages(http);
            http.createContext("/", exchange -> {
                String page = site.pages.get(exchange.getRequestURI().getPath());
                byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            http.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code html} at {@code path} and returns its URL. */
    String page(String path, String html) {
        pages.put(path, html);
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    /** A page with a heading, {@code body} and the widget's tag with the demo connector plus {@code attributes}. */
    static String embedding(String chatServer, String attributes, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Shop</title></head>"
                + "<body><main><h1>A shop</h1>" + body + "</main>"
                + "<script src=\"" + chatServer + "/widget.js\" data-connector-token=\"parley-demo-token\""
                + " data-host=\"localhost\" data-title=\"Shop chat\" " + attributes + " defer></script></body></html>";
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
