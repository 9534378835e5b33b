package dev.parley.app;

import dev.parley.protocol.EventType;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.ServerEventDecoder;
import dev.parley.protocol.codec.ServerFrame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a session's whole stored history over a raw WebSocket (cursor 0), deliberately not
 * through the SDK, which hides gaps and duplicates. The socket is Vert.x's client, not the JDK's:
 * the JDK 17 client misreads some large first messages that arrive together with the 101 answer
 * (JdkWebSocketClientCorruptionTest), which showed up here as corrupt replay frames. The replay ends when a heartbeat probe sent
 * after the first replay batch comes back. Stored events are returned exactly as they arrived,
 * repeats included.
 */
public final class HistoryReader implements AutoCloseable {
    private static final String PROBE = "bench-replay-probe";
    /** Close code 1012: service restart, reconnect (PROTOCOL.md; Parley's graceful stop and session moves). */
    private static final int SERVICE_RESTART = 1012;
    private static final int MAX_ATTEMPTS = 5;
    private static final short NORMAL_CLOSURE = 1000;

    private final HttpClient http;
    private final Vertx vertx;
    private final WebSocketClient client;
    private final String baseUrl;
    private final String connectorToken;
    private final String host;
    private final Duration timeout;
    private String accessToken;

    public HistoryReader(String baseUrl, String connectorToken, String host, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.vertx = Vertx.vertx();
        // One replay batch is at most MAX_MESSAGE_SIZE_BYTES (ReplayBatches); the server may send it
        // as one frame, so both limits must admit it (Vert.x's client defaults are 64 KB).
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(Limits.MAX_MESSAGE_SIZE_BYTES).setMaxMessageSize(Limits.MAX_MESSAGE_SIZE_BYTES));
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.connectorToken = connectorToken;
        this.host = host;
        this.timeout = timeout;
    }

    private synchronized String accessToken() throws IOException, InterruptedException {
        if (accessToken == null) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/access-token"))
                    .timeout(timeout)
                    .header("X-Token", connectorToken).header("X-Host", host)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("access token refused: HTTP " + response.statusCode() + " " + response.body());
            }
            accessToken = Json.MAPPER.readTree(response.body()).path("access_token").asText();
        }
        return accessToken;
    }

    /**
     * Every stored event of {@code sessionId}, in arrival order. A socket closed with 1012 (the node
     * stops, or the session moved to another node) is opened again, as the official SDKs do.
     */
    public List<ServerEvent> read(String sessionId) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(sessionId);
            } catch (Reconnect e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IOException("replay of session " + sessionId + " was moved " + attempt + " times: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    private List<ServerEvent> readOnce(String sessionId) throws IOException, InterruptedException {
        String uri = baseUrl.replaceFirst("^http", "ws") + "/ws?session_id=" + enc(sessionId)
                + "&access_token=" + enc(accessToken()) + "&cursor=0";
        // A fresh event-loop context per socket: the connect, every write and the close run on it,
        // the socket's own loop, never on the calling thread.
        Context loop = vertx.getOrCreateContext();
        Collector collector = new Collector();
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        loop.runOnContext(v -> client.connect(new WebSocketConnectOptions().setAbsoluteURI(uri)
                        .setConnectTimeout(timeout.toMillis()).setTimeout(timeout.toMillis()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        opened.completeExceptionally(ar.cause());
                    } else {
                        collector.attach(ar.result());
                        opened.complete(ar.result());
                    }
                }));
        WebSocket ws;
        try {
            ws = opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot open a socket to session " + sessionId + ": " + e.getCause(), e);
        }
        try {
            return collector.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Reconnect reconnect) {
                throw reconnect;
            }
            throw new IOException("replay of session " + sessionId + " did not complete: " + causes(e), e);
        } catch (TimeoutException e) {
            throw new IOException("replay of session " + sessionId + " did not complete: " + causes(e), e);
        } finally {
            loop.runOnContext(v -> ws.close(NORMAL_CLOSURE, ""));
        }
    }

    /** The whole cause chain, unwrapping the future's {@code ExecutionException}. */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
             t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(text.length() == 0 ? "" : " <- ").append(t);
        }
        return text.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // best effort: its threads stop with the process
        }
    }

    /**
     * Gathers messages; completes once the probe's echo arrives. Vert.x calls it on the socket's
     * event loop, one message at a time, with fragmented messages already reassembled.
     */
    private static final class Collector {
        final CompletableFuture<List<ServerEvent>> done = new CompletableFuture<>();
        private final List<ServerEvent> events = new ArrayList<>();
        private boolean probed;

        void attach(WebSocket ws) {
            ws.textMessageHandler(text -> ServerEventDecoder.decode(text).ifPresent(f -> handle(ws, f)));
            ws.exceptionHandler(done::completeExceptionally);
            ws.closeHandler(v -> onClose(ws.closeStatusCode(), ws.closeReason()));
        }

        private void handle(WebSocket ws, ServerFrame frame) {
            if (frame instanceof ServerFrame.Batch batch) {
                events.addAll(batch.events());
                if (!probed) {
                    probed = true;
                    ws.writeTextMessage("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"probe\":\""
                            + PROBE + "\"}}}");
                }
            } else if (frame instanceof ServerFrame.Single single) {
                ServerEvent e = single.event();
                if (e.type() == EventType.HEARTBEAT && e.metadata() != null && e.metadata().json().contains(PROBE)) {
                    done.complete(List.copyOf(events));
                } else if (e.sequence() != null) {
                    events.add(e);
                }
            }
        }

        private void onClose(Short statusCode, String reason) {
            if (statusCode != null && statusCode == SERVICE_RESTART) {
                done.completeExceptionally(new Reconnect(statusCode + " " + reason));
                return;
            }
            // A no-op if the replay already completed (our own close after the probe came back).
            done.completeExceptionally(new IOException("socket closed before the replay ended: " + statusCode + " " + reason));
        }
    }

    /** The server asked for a reconnect (1012): the replay starts again on a new socket. */
    private static final class Reconnect extends IOException {
        Reconnect(String message) {
            super(message);
        }
    }
}
