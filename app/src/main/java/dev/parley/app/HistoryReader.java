package dev.parley.app;

import dev.parley.protocol.EventType;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.ServerEventDecoder;
import dev.parley.protocol.codec.ServerFrame;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a session's whole stored history over a raw JDK WebSocket (cursor 0), deliberately not
 * through the SDK, which hides gaps and duplicates. The replay ends when a heartbeat probe sent
 * after the first replay batch comes back. Stored events are returned exactly as they arrived,
 * repeats included.
 */
public final class HistoryReader implements AutoCloseable {
    private static final String PROBE = "bench-replay-probe";
    /** Close code 1012: service restart, reconnect (PROTOCOL.md; Parley's graceful stop and session moves). */
    private static final int SERVICE_RESTART = 1012;
    private static final int MAX_ATTEMPTS = 5;

    private final HttpClient http;
    private final String baseUrl;
    private final String connectorToken;
    private final String host;
    private final Duration timeout;
    private String accessToken;

    public HistoryReader(String baseUrl, String connectorToken, String host, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
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
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws?session_id=" + enc(sessionId)
                + "&access_token=" + enc(accessToken()) + "&cursor=0");
        Collector collector = new Collector();
        WebSocket ws;
        try {
            ws = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, collector)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((w, e) -> ws.abort());
        }
    }

    /**
     * The whole cause chain: the JDK client reports a protocol violation as a {@code ProtocolException}
     * without a message, whose cause says what it refused.
     */
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
        // HttpClient has no close() before Java 21; its threads are daemons.
    }

    /** Gathers frames; completes once the probe's echo arrives. Called on the HTTP client's threads, one at a time. */
    private static final class Collector implements WebSocket.Listener {
        final CompletableFuture<List<ServerEvent>> done = new CompletableFuture<>();
        private final List<ServerEvent> events = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private boolean probed;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                ServerEventDecoder.decode(frame).ifPresent(f -> handle(ws, f));
            }
            ws.request(1);
            return null;
        }

        private void handle(WebSocket ws, ServerFrame frame) {
            if (frame instanceof ServerFrame.Batch batch) {
                events.addAll(batch.events());
                if (!probed) {
                    probed = true;
                    ws.sendText("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"probe\":\""
                            + PROBE + "\"}}}", true);
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

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (statusCode == SERVICE_RESTART) {
                done.completeExceptionally(new Reconnect(statusCode + " " + reason));
                return null;
            }
            done.completeExceptionally(new IOException("socket closed before the replay ended: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            done.completeExceptionally(error);
        }
    }

    /** The server asked for a reconnect (1012): the replay starts again on a new socket. */
    private static final class Reconnect extends IOException {
        Reconnect(String message) {
            super(message);
        }
    }
}
