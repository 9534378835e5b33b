package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import dev.parley.server.testing.VertxSocket;
import io.vertx.core.http.UpgradeRejectedException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** A live agent's desk socket over Vert.x's WebSocket client ({@link VertxSocket}); every wait is bounded by {@link WsClient#WAIT}. */
final class DeskClient implements AutoCloseable {
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private final java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
    private VertxSocket socket;

    static URI uri(String baseUrl, String token) {
        return URI.create(baseUrl.replace("http", "ws") + "/desk/ws"
                + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    static DeskClient connect(String baseUrl, String token) {
        DeskClient client = new DeskClient();
        try {
            client.socket = VertxSocket.connect(uri(baseUrl, token), client.new Listener(), WsClient.WAIT);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("desk connect failed", e);
        }
        return client;
    }

    /** The HTTP status of a refused upgrade. */
    static int refusedStatus(String baseUrl, String token) {
        return refusal(baseUrl, token).getStatus();
    }

    /** The answer that refused the upgrade (status and headers). */
    static UpgradeRejectedException refusal(String baseUrl, String token) {
        try {
            VertxSocket.connect(uri(baseUrl, token), new DeskClient().new Listener(), WsClient.WAIT).abort();
            throw new AssertionError("handshake was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected;
            }
            throw new AssertionError(e);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    DeskClient send(String text) {
        socket.sendText(text);
        return this;
    }

    DeskClient send(ObjectNode command) {
        return send(command.toString());
    }

    DeskClient sendBinary(byte[] bytes) {
        socket.sendBinary(bytes);
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
            JsonNode message;
            try {
                message = next();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; read before: " + read.stream()
                        .map(m -> m.toString().length() > 300 ? m.toString().substring(0, 300) + "…" : m.toString())
                        .toList());
            }
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
        socket.close(1000, "bye", Duration.ofSeconds(2));
    }

    private final class Listener implements VertxSocket.Listener {
        @Override
        public void onText(String text) {
            try {
                messages.add(Json.MAPPER.readTree(text));
            } catch (IOException e) {
                messages.add(Json.MAPPER.createObjectNode().put("type", "NOT_JSON").put("raw", text));
            }
        }

        @Override
        public void onClose(int statusCode, String reason) {
            closed = true;
            closeCode.complete(statusCode);
        }

        @Override
        public void onError(Throwable error) {
            closed = true;
            closeCode.complete(-1);
        }
    }
}
