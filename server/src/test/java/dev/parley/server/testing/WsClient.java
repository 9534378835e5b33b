package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import io.vertx.core.http.UpgradeRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (Vert.x's, through {@link VertxSocket}) that records every frame the server sends, so tests read
 * like transcripts: {@code ws.next("EVENT_TYPE_USER_MESSAGE")}. Every wait is bounded.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final String sessionId;
    private final String accessToken;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    /** The text each received frame arrived as, keyed by the parsed frame's identity. */
    private final Map<JsonNode, String> rawText = Collections.synchronizedMap(new IdentityHashMap<>());
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** The reason of the server's close frame; set before {@code closed} completes. */
    private volatile String closeReason;
    private VertxSocket socket;

    private WsClient(String sessionId, String accessToken) {
        this.sessionId = sessionId;
        this.accessToken = accessToken;
    }

    public static WsClient connect(String baseUrl, String sessionId, String accessToken, String cursor) {
        WsClient client = new WsClient(sessionId, accessToken);
        try {
            client.socket = VertxSocket.connect(uri(baseUrl, sessionId, accessToken, cursor), client.new Listener(), WAIT);
        } catch (ExecutionException e) {
            throw new HandshakeRefused(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("connect failed", e);
        }
        return client;
    }

    /** The HTTP status of a refused upgrade (PROTOCOL.md §3.2). */
    public static int refusedStatus(String baseUrl, String sessionId, String accessToken, String cursor) {
        try {
            WsClient c = connect(baseUrl, sessionId, accessToken, cursor);
            c.close();
            throw new AssertionError("handshake was accepted");
        } catch (HandshakeRefused e) {
            if (e.getCause() instanceof UpgradeRejectedException) {
                return e.status();
            }
            throw e;
        }
    }

    public static URI uri(String baseUrl, String sessionId, String accessToken, String cursor) {
        StringBuilder q = new StringBuilder(baseUrl.replace("http", "ws")).append("/ws?");
        if (sessionId != null) {
            q.append("session_id=").append(enc(sessionId)).append('&');
        }
        if (accessToken != null) {
            q.append("access_token=").append(enc(accessToken)).append('&');
        }
        if (cursor != null) {
            q.append("cursor=").append(enc(cursor));
        }
        return URI.create(q.toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public String sessionId() {
        return sessionId;
    }

    public String accessToken() {
        return accessToken;
    }

    /** A new socket on the same session with the same token, resuming after {@code cursor}. */
    public WsClient reconnect(String baseUrl, String cursor) {
        return connect(baseUrl, sessionId, accessToken, cursor);
    }

    public WsClient send(String json) {
        socket.sendText(json);
        return this;
    }

    public WsClient sendBinary(byte[] bytes) {
        socket.sendBinary(bytes);
        return this;
    }

    public WsClient sendType(String type) {
        return send("{\"type\":\"" + type + "\",\"payload\":{}}");
    }

    public WsClient join() {
        return sendType("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
    }

    public WsClient say(String text) {
        return send("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":" + Json.MAPPER.valueToTree(text) + "}}");
    }

    public WsClient say(String text, String clientEventId) {
        return send("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":" + Json.MAPPER.valueToTree(text)
                + "},\"metadata\":{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}}");
    }

    /** Sends a client event with {@code metadata} written exactly as given (raw JSON text). */
    public WsClient sendWithMetadata(String type, String payloadJson, String metadataJson) {
        return send("{\"type\":\"" + type + "\",\"payload\":" + payloadJson + ",\"metadata\":" + metadataJson + "}");
    }

    /** Sends {@code type} with an empty payload and {@code metadata.custom.client_event_id}. */
    public WsClient sendType(String type, String clientEventId) {
        return sendWithMetadata(type, "{}", "{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}");
    }

    /** The exact text {@code frame} arrived as (it must be a frame this client returned). */
    public String raw(JsonNode frame) {
        String raw = rawText.get(frame);
        if (raw == null) {
            throw new IllegalArgumentException("not a frame received by this client: " + frame);
        }
        return raw;
    }

    /** The size of {@code frame} on the wire: its text in UTF-8. */
    public int rawUtf8Bytes(JsonNode frame) {
        return raw(frame).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Frames received and not yet read, without waiting (e.g. after the socket closed). */
    public List<JsonNode> unread() {
        List<JsonNode> rest = new ArrayList<>();
        frames.drainTo(rest);
        return rest;
    }

    /** The next frame, failing the test if none comes in time. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT + (closed.isDone() ? " (socket closed " + closed.join() + ")" : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame within {@code wait}, or null (for tests that reconnect or resend when nothing comes). */
    public JsonNode poll(Duration wait) {
        try {
            return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame, which must be of {@code type}. */
    public JsonNode next(String type) {
        JsonNode frame = next();
        assertThat(frame.path("type").asText()).as("type of %s", frame).isEqualTo(type);
        return frame;
    }

    /** Skips frames until one of {@code type} arrives; returns it. */
    public JsonNode nextOfType(String type) {
        while (true) {
            JsonNode frame = next();
            if (frame.path("type").asText().equals(type)) {
                return frame;
            }
        }
    }

    /** The connect-time replay: the first frame must be a batch; returns its events. */
    public List<JsonNode> replay() {
        JsonNode batch = next("EVENT_TYPE_EVENT_BATCH");
        List<JsonNode> events = new ArrayList<>();
        batch.path("payload").path("events").forEach(events::add);
        return events;
    }

    /**
     * Proves nothing else was sent: sends a heartbeat and requires its echo to be the very next
     * frame. Since a socket delivers in order, anything pending would have come first. The probe
     * carries a fresh nonce, so another connection's heartbeat echo cannot pass for it.
     */
    public void assertNoMoreEvents() {
        assertThat(drain()).as("frames sent before the probe's echo").isEmpty();
    }

    /**
     * Every frame the server sent before it handled a heartbeat probe sent now, in order (the probe's
     * own echo is consumed). Frames produced later, e.g. by an agent still answering, are not waited for.
     */
    public List<JsonNode> drain() {
        String nonce = UUID.randomUUID().toString();
        send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"probe\":\"" + nonce + "\"}}}");
        List<JsonNode> before = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            if (frame.path("type").asText().equals("EVENT_TYPE_HEARTBEAT")
                    && frame.path("metadata").path("custom").path("probe").asText().equals(nonce)) {
                return before;
            }
            before.add(frame);
        }
    }

    /** Waits for the server to close; returns the close code. */
    public int awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("socket not closed within " + WAIT, e);
        }
    }

    /** The reason the server gave in its close frame; call after {@link #awaitClose()}. */
    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close handshake, like a network failure. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.close(1000, "bye", Duration.ofSeconds(2));
    }

    /** The server refused the upgrade (or the connection failed before it answered). */
    public static final class HandshakeRefused extends RuntimeException {
        HandshakeRefused(Throwable cause) {
            super(cause);
        }

        /** The HTTP status of the refusal; fails if the server never answered the upgrade. */
        public int status() {
            return rejection().getStatus();
        }

        /** A header of the refusal, or null. */
        public String header(String name) {
            return rejection().getHeaders().get(name);
        }

        private UpgradeRejectedException rejection() {
            if (getCause() instanceof UpgradeRejectedException rejected) {
                return rejected;
            }
            throw new AssertionError("the upgrade was not answered with an HTTP status", getCause());
        }
    }

    private final class Listener implements VertxSocket.Listener {
        @Override
        public void onText(String text) {
            JsonNode frame;
            try {
                frame = Json.MAPPER.readTree(text);
            } catch (IOException e) {
                frame = Json.MAPPER.createObjectNode().put("type", "NOT_JSON").put("raw", text);
            }
            rawText.put(frame, text);
            frames.add(frame);
        }

        @Override
        public void onClose(int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
        }

        @Override
        public void onError(Throwable error) {
            closed.complete(-1);
        }
    }
}
