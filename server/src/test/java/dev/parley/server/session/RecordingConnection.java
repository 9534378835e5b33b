package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link Connection} that records what the session core sends, for tests without sockets. */
final class RecordingConnection implements Connection {
    private static int counter;
    private final String id = "test-" + (++counter);
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String frame) {
        try {
            frames.add(Json.MAPPER.readTree(frame));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close(int code, String reason) {
        closed.complete(code);
    }

    JsonNode next() {
        try {
            JsonNode frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 10 s").isNotNull();
            return frame;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode next(String type) {
        JsonNode frame = next();
        assertThat(frame.path("type").asText()).as("type of %s", frame).isEqualTo("EVENT_TYPE_" + type);
        return frame;
    }

    List<JsonNode> replay() {
        List<JsonNode> events = new ArrayList<>();
        next("EVENT_BATCH").path("payload").path("events").forEach(events::add);
        return events;
    }

    int awaitClose() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    boolean nothingQueued() {
        return frames.isEmpty();
    }
}
