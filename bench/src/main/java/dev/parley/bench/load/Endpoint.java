package dev.parley.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One server under load, as PROTOCOL.md §2–3 reach it: the two REST calls and {@code /ws}. */
final class Endpoint {
    static final String TOKEN = "parley-demo-token";
    static final String HOST = "localhost";

    record Credentials(String sessionId, String accessToken) {
    }

    final String name;
    final boolean parley;
    final int port;
    final List<Context> contexts;
    private final HttpClientAgent http;
    private final WebSocketClient ws;

    Endpoint(Vertx vertx, List<Context> contexts, String name, boolean parley, int port) {
        this.name = name;
        this.parley = parley;
        this.port = port;
        this.contexts = contexts;
        this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(64));
        this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setMaxMessageSize(64 * 1024 * 1024).setMaxFrameSize(16 * 1024 * 1024)
                .setConnectTimeout(10_000));
    }

    /** Access token then session (§2.1, §2.2). */
    Future<Credentials> createSession(boolean streaming) {
        return post("/api/v1/access-token", "{}", "X-Token", TOKEN, "X-Host", HOST)
                .compose(token -> {
                    String accessToken = token.getString("access_token");
                    return post("/api/v1/sessions", "{\"streaming_enabled\":" + streaming + "}",
                            "Authorization", "Bearer " + accessToken, null, null)
                            .map(session -> new Credentials(session.getString("session_id"), accessToken));
                });
    }

    private Future<JsonObject> post(String path, String body, String h1, String v1, String h2, String v2) {
        return http.request(HttpMethod.POST, path).compose(request -> {
            request.putHeader("Content-Type", "application/json").putHeader(h1, v1);
            if (h2 != null) {
                request.putHeader(h2, v2);
            }
            return request.send(body);
        }).compose(response -> response.body().compose(b -> response.statusCode() == 200
                ? Future.succeededFuture(b.toJsonObject())
                : Future.failedFuture("HTTP " + response.statusCode() + " " + path + ": " + b)))
                .timeout(30, TimeUnit.SECONDS);
    }

    /**
     * Opens {@code /ws} on the context for {@code index} and completes once the first frame (the
     * history batch, §3.4) has arrived.
     */
    Future<BenchSocket> connect(int index, Credentials credentials, long cursor) {
        Context context = contexts.get(index % contexts.size());
        return Future.<BenchSocket>future(promise -> context.runOnContext(v -> {
            String uri = "/ws?session_id=" + enc(credentials.sessionId()) + "&access_token="
                    + enc(credentials.accessToken()) + "&cursor=" + cursor;
            ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
                    .map(socket -> new BenchSocket(index, context, socket))
                    .compose(socket -> socket.await(f -> true, 30_000).map(socket))
                    .onComplete(promise);
        })).timeout(60, TimeUnit.SECONDS);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    void close() {
        http.close();
        ws.close();
    }
}
