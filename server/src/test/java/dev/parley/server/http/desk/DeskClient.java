package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** A live agent's desk socket over the JDK's WebSocket client; every wait is bounded by {@link WsClient#WAIT}. */
final class DeskClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private final java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
    private WebSocket socket;

    static URI uri(String baseUrl, String token) {
        return URI.create(baseUrl.replace("http", "ws") + "/desk/ws"
                + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    static DeskClient connect(String baseUrl, String token) {
        DeskClient client = new DeskClient();
        try {
            client.socket = HTTP.newWebSocketBuilder().buildAsync(uri(baseUrl, token), client.new Listener())
                    .get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("desk connect failed", e);
        }
        return client;
    }

    /** The HTTP status of a refused upgrade. */
    static int refusedStatus(String baseUrl, String token) {
        return refusal(baseUrl, token).statusCode();
    }

    /** The HTTP response that refused the upgrade (status and headers). */
    static java.net.http.HttpResponse<?> refusal(String baseUrl, String token) {
        try {
            HTTP.newWebSocketBuilder().buildAsync(uri(baseUrl, token), new WebSocket.Listener() { })
                    .get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS).abort();
            throw new AssertionError("handshake was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse();
            }
            throw new AssertionError(e);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    DeskClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    DeskClient send(ObjectNode command) {
        return send(command.toString());
    }

    DeskClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    static ObjectNode command(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }

    JsonNode next() {
        try {
            JsonNode message = messages.poll(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no desk message within " + WsClient.WAIT);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads until a message matches; returns everything read, the match last. */
    List<JsonNode> readUntil(Predicate<JsonNode> last) {
        List<JsonNode> read = new ArrayList<>();
        while (true) {
            JsonNode message = next();
            read.add(message);
            if (last.test(message)) {
                return read;
            }
        }
    }

    /** The next message of {@code type}, skipping others (snapshots come often). */
    JsonNode next(String type) {
        List<JsonNode> read = readUntil(m -> m.path("type").asText().equals(type));
        return read.get(read.size() - 1);
    }

    /** The next message that is not a {@code desk.snapshot}. */
    JsonNode nextNotSnapshot() {
        return next(m -> !m.path("type").asText().equals("desk.snapshot"));
    }

    JsonNode next(Predicate<JsonNode> wanted) {
        List<JsonNode> read = readUntil(wanted);
        return read.get(read.size() - 1);
    }

    /** Session events received as {@code desk.event}, history batches flattened, until one of {@code eventType}. */
    List<JsonNode> eventsUntil(String eventType) {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            JsonNode message = next("desk.event");
            JsonNode event = message.path("event");
            List<JsonNode> these = new ArrayList<>();
            if (event.path("type").asText().equals("EVENT_TYPE_EVENT_BATCH")) {
                event.path("payload").path("events").forEach(these::add);
            } else {
                these.add(event);
            }
            events.addAll(these);
            if (these.stream().anyMatch(e -> e.path("type").asText().equals(eventType))) {
                return events;
            }
        }
    }

    /** Waits for the server to close the socket; returns the close code (-1 for a dropped connection). */
    int awaitClose() {
        try {
            return closeCode.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("desk socket not closed within " + WsClient.WAIT, e);
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                socket.abort();
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(Json.MAPPER.readTree(partial.toString()));
                } catch (IOException e) {
                    messages.add(Json.MAPPER.createObjectNode().put("type", "NOT_JSON").put("raw", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            closeCode.complete(-1);
        }
    }
}
