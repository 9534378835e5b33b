package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A user's client as the SDK behaves, for tests that kill nodes: it keeps every stored event it
 * got, in order; when its socket drops it reconnects to a live node with its cursor; it resends a
 * message until the echo comes (same client_event_id, so the server dedupes). It notes every
 * stored event that came twice or out of order, except the original echo that answers a resend.
 * Test thread only.
 */
final class Conversant implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration RESEND_AFTER = Duration.ofSeconds(2);

    private final String name;
    private final Supplier<List<String>> liveNodes;
    private final String sessionId;
    private final String token;
    private final List<JsonNode> seen = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Set<String> resent = new HashSet<>();
    private WsClient socket;
    private int reconnects;

    Conversant(String name, String baseUrl, String sessionId, String token, Supplier<List<String>> liveNodes) {
        this.name = name;
        this.liveNodes = liveNodes;
        this.sessionId = sessionId;
        this.token = token;
        this.socket = WsClient.connect(baseUrl, sessionId, token, null);
    }

    WsClient socket() {
        return socket;
    }

    List<JsonNode> seen() {
        return seen;
    }

    List<String> problems() {
        return problems;
    }

    int reconnects() {
        return reconnects;
    }

    long last() {
        return seen.isEmpty() ? 0 : seen.get(seen.size() - 1).path("sequence").asLong();
    }

    void join() {
        socket.join();
    }

    /** Sends a message and waits, across reconnects and resends, for its echo and then an agent reply. */
    void sayAndAwaitReply(String text, String clientEventId) {
        trySay(text, clientEventId);
        Instant deadline = Instant.now().plus(DEADLINE);
        Instant resendAt = Instant.now().plus(RESEND_AFTER);
        long echoed = echoOf(clientEventId);
        while (Instant.now().isBefore(deadline)) {
            if (echoed > 0 && agentReplyAfter(echoed)) {
                return;
            }
            JsonNode frame = socket.poll(Duration.ofMillis(200));
            if (frame != null) {
                keep(frame);
                echoed = echoOf(clientEventId);
                continue;
            }
            if (socket.isClosed()) {
                reconnect();
                echoed = echoOf(clientEventId);
                resendAt = Instant.now();
            }
            if (echoed == 0 && Instant.now().isAfter(resendAt)) {
                // Lost with a dead owner, refused while the session moved ("high load"), or just slow.
                resent.add(clientEventId);
                trySay(text, clientEventId);
                resendAt = Instant.now().plus(RESEND_AFTER);
            }
        }
        throw new AssertionError(name + ": no echo and reply for " + clientEventId + " within " + DEADLINE
                + "; saw " + seen);
    }

    /** Reads, reconnecting as needed, until it has every stored event up to {@code sequence}. */
    void awaitSequence(long sequence) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (last() < sequence) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(name + ": not at " + sequence + " within " + DEADLINE + "; saw " + seen);
            }
            JsonNode frame = socket.poll(Duration.ofMillis(200));
            if (frame != null) {
                keep(frame);
            } else if (socket.isClosed()) {
                reconnect();
            }
        }
    }

    /** Sends if the socket still takes frames; if not, the loop reconnects and resends. */
    void trySay(String text, String clientEventId) {
        try {
            socket.say(text, clientEventId);
        } catch (RuntimeException e) {
            // the node just died under the socket
        }
    }

    /** Drains what arrived, then, if the socket was closed (a node died or handed over), connects to a live node. */
    private void reconnect() {
        JsonNode rest;
        while ((rest = socket.poll(Duration.ZERO)) != null) {
            keep(rest);
        }
        Instant deadline = Instant.now().plus(DEADLINE);
        RuntimeException lastFailure = null;
        while (Instant.now().isBefore(deadline)) {
            for (String node : liveNodes.get()) {
                try {
                    socket = WsClient.connect(node, sessionId, token, String.valueOf(last()));
                    reconnects++;
                    return;
                } catch (RuntimeException e) {
                    lastFailure = e; // that node is gone or refused for now: the next one
                }
            }
        }
        throw new AssertionError(name + ": could not reconnect", lastFailure);
    }

    private void keep(JsonNode frame) {
        if (frame.path("type").asText().equals("EVENT_TYPE_EVENT_BATCH")) {
            frame.path("payload").path("events").forEach(this::keepStored);
        } else if (frame.path("sequence").isIntegralNumber()) {
            keepStored(frame);
        }
    }

    private void keepStored(JsonNode event) {
        long sequence = event.path("sequence").asLong();
        if (sequence <= last()) {
            JsonNode earlier = seen.get((int) sequence - 1);
            boolean originalEcho = earlier.path("id").asText().equals(event.path("id").asText())
                    && resent.contains(event.path("metadata").path("custom").path("client_event_id").asText());
            if (!originalEcho) {
                problems.add("twice or out of order: " + event);
            }
            return;
        }
        if (sequence != last() + 1) {
            problems.add("gap before " + event);
        }
        seen.add(event);
    }

    private long echoOf(String clientEventId) {
        return seen.stream().filter(e -> e.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE")
                        && e.path("metadata").path("custom").path("client_event_id").asText().equals(clientEventId))
                .mapToLong(e -> e.path("sequence").asLong()).findFirst().orElse(0);
    }

    private boolean agentReplyAfter(long sequence) {
        return seen.stream().anyMatch(e -> e.path("type").asText().equals("EVENT_TYPE_POLY_AGENT_MESSAGE")
                && e.path("sequence").asLong() > sequence);
    }

    @Override
    public void close() {
        socket.close();
    }
}
