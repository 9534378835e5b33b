package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Ids;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: long replays and fan-out reach every client that reads, a client that stops reading is
 * closed with 1008 after the slow-consumer timeout, and what the node queues stays within its budget.
 */
class OutboundBackPressureTest {
    private static final Duration LONG = Duration.ofHours(1);
    private static final Duration SLOW = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aTwentyThousandEventSessionReplaysCompletelyFromTheStartAndFromAMiddleCursor() {
        try (TestServer server = TestServer.start(dir)) {
            String token = server.rest().accessToken();
            String sessionId = server.rest().createSession(token, false);
            prefill(server, sessionId, 20_000, 200);

            try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, null)) {
                List<Long> sequences = replayedSequences(ws, 20_001);
                assertThat(sequences).hasSize(20_001);
                assertThat(sequences.get(0)).isEqualTo(1);
                assertThat(sequences.get(20_000)).isEqualTo(20_001);
                assertThat(isAscendingByOne(sequences)).isTrue();
                ws.assertNoMoreEvents();
            }
            try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, "10000")) {
                List<Long> sequences = replayedSequences(ws, 10_001);
                assertThat(sequences.get(0)).isEqualTo(10_001);
                assertThat(sequences.get(sequences.size() - 1)).isEqualTo(20_001);
                assertThat(isAscendingByOne(sequences)).isTrue();
                ws.assertNoMoreEvents();
            }
        }
    }

    @Test
    void afterALongReplayTheSocketIsLiveAndTheConversationGoesOn() {
        try (TestServer server = TestServer.start(dir)) {
            String token = server.rest().accessToken();
            String sessionId = server.rest().createSession(token, false);
            prefill(server, sessionId, 3_000, 200);

            try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, null)) {
                assertThat(replayedSequences(ws, 3_001)).hasSize(3_001);
                ws.join();
                assertThat(ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN").path("sequence").asLong()).isEqualTo(3_002);
                ws.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
                ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE"); // the greeting
                ws.say("What are your opening hours?", "after-replay");
                assertThat(ws.nextOfType("EVENT_TYPE_USER_MESSAGE").path("metadata").path("custom")
                        .path("client_event_id").asText()).isEqualTo("after-replay");
                ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE"); // the answer, live
            }
        }
    }

    @Test
    void tenSocketsOfOneStreamingSessionAllReceiveEveryReply() {
        // 100 messages in flight, each answered by a 150-word reply streamed without a delay, so
        // its 50 deltas go to all ten sockets at once from the session's thread: far more than the
        // 16 frames Vert.x queues from off the event loop before it reports the write queue full.
        int inFlight = 100;
        Path flow = flowWithLongOpeningHours();
        try (TestServer server = TestServer.start(dir, c -> c.withFlowFile(flow).withStreamChunkDelay(Duration.ZERO)
                .withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate()))) {
            String token = server.rest().accessToken();
            String sessionId = server.rest().createSession(token, true);
            List<WsClient> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, null);
                    ws.replay();
                    sockets.add(ws);
                }
                WsClient first = sockets.get(0);
                first.join();
                for (int i = 0; i < inFlight; i++) {
                    first.say("What are your opening hours? " + i, "m" + i);
                }
                for (WsClient ws : sockets) {
                    int complete = 0;
                    int echoes = 0;
                    // The greeting plus one streamed reply per message, each ending with is_complete.
                    while (complete < inFlight + 1 || echoes < inFlight) {
                        JsonNode frame = ws.next();
                        String type = frame.path("type").asText();
                        if (type.equals("EVENT_TYPE_USER_MESSAGE")) {
                            echoes++;
                        } else if (type.equals("EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK")
                                && frame.path("payload").path("is_complete").asBoolean()) {
                            complete++;
                        }
                    }
                    assertThat(ws.isClosed()).isFalse();
                }
            } finally {
                sockets.forEach(WsClient::close);
            }
        }
    }

    /** The demo flow with its opening-hours reply 150 words longer. */
    private Path flowWithLongOpeningHours() {
        try (java.io.InputStream in = getClass().getResourceAsStream("/flows/demo.yaml")) {
            String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String rests = "On Mondays the kitchen rests.";
            assertThat(yaml).contains(rests);
            Path file = dir.resolve("long-replies.yaml");
            java.nio.file.Files.writeString(file, yaml.replace(rests, rests + " And more".repeat(75)));
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSocketThatStopsReadingIsClosedWith1008AfterTheTimeoutWhileAReadingOneStays() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer server = TestServer.start(dir, c -> c.withTimeouts(LONG, LONG)
                .withOutbound(new ParleyConfig.Outbound(SLOW, 256L << 20, 16L << 20)), clock)) {
            String token = server.rest().accessToken();
            String sessionId = server.rest().createSession(token, false);
            prefill(server, sessionId, 20_000, 1500); // ~30 MB: more than the kernel buffers of one socket

            try (RawWebSocket stalled = RawWebSocket.connect(server.port(), sessionId, token, "");
                 WsClient reading = WsClient.connect(server.baseUrl(), sessionId, token, null)) {
                assertThat(stalled.status()).isEqualTo(101);
                assertThat(replayedSequences(reading, 20_001)).hasSize(20_001);

                // Time passes while the stalled socket's frames cannot leave; the reading one has none pending.
                Awaitility.await().atMost(WsClient.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                    clock.advance(SLOW.plusSeconds(1));
                    return metric(server, "parley_outbound_slow_consumers_total") >= 1;
                });

                RawWebSocket.Ending ending = stalled.awaitClose(); // reads what was buffered, then the close
                assertThat(ending.close()).isNotNull();
                assertThat(ending.close().closeCode()).isEqualTo(1008);
                assertThat(new String(ending.close().payload(), 2, ending.close().payload().length - 2,
                        java.nio.charset.StandardCharsets.UTF_8)).startsWith("slow consumer");
                reading.assertNoMoreEvents();
                assertThat(reading.isClosed()).isFalse();
                assertThat(metric(server, "parley_outbound_slow_consumers_total")).isEqualTo(1);
            }
        }
    }

    @Test
    void manySocketsThatNeverReadStayWithinTheNodesOutboundBudget() {
        long budget = 2L << 20;
        try (TestServer server = TestServer.start(dir, c -> c.withTimeouts(LONG, LONG)
                .withOutbound(new ParleyConfig.Outbound(LONG, budget, 1L << 20)))) {
            String token = server.rest().accessToken();
            List<RawWebSocket> sockets = new ArrayList<>();
            try {
                for (int s = 0; s < 2; s++) {
                    String sessionId = server.rest().createSession(token, false);
                    prefill(server, sessionId, 10_000, 1500); // ~15 MB each
                    for (int i = 0; i < 10; i++) {
                        RawWebSocket socket = RawWebSocket.connect(server.port(), sessionId, token, "");
                        assertThat(socket.status()).isEqualTo(101);
                        sockets.add(socket);
                    }
                }
                // Twenty replays stall on full kernel buffers until the budget is taken...
                Awaitility.await().atMost(WsClient.WAIT).until(() ->
                        metric(server, "parley_outbound_queued_bytes") > budget - 512 * 1024);
                // ...and at no moment did the node queue more than its budget.
                assertThat(metric(server, "parley_outbound_queued_peak_bytes")).isLessThanOrEqualTo(budget);
                assertThat(metric(server, "parley_outbound_budget_bytes")).isEqualTo(budget);
            } finally {
                sockets.forEach(RawWebSocket::close);
            }
        }
    }

    /** Appends {@code count} stored system messages of about {@code chars} characters after SESSION_START. */
    private static void prefill(TestServer server, String sessionId, int count, int chars) {
        String text = "x".repeat(chars);
        Instant now = Instant.now();
        try (SqliteStore store = SqliteStore.open(server.dataDir())) {
            List<StoredEvent> batch = new ArrayList<>();
            for (long seq = 2; seq <= count + 1; seq++) {
                SystemMessage payload = SystemMessage.warning(text, "prefill " + seq);
                String id = Ids.eventId();
                String json = ServerEventEncoder.encode(new ServerEvent(id, seq, now, payload, null));
                batch.add(new StoredEvent(sessionId, seq, id, payload.type(), now, json, null));
                if (batch.size() == 1000) {
                    store.append(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                store.append(batch);
            }
        }
    }

    /** Reads replay batches until {@code expected} events arrived; checks the batch limits of §13.3. */
    private static List<Long> replayedSequences(WsClient ws, int expected) {
        List<Long> sequences = new ArrayList<>();
        while (sequences.size() < expected) {
            JsonNode batch = ws.next("EVENT_TYPE_EVENT_BATCH");
            assertThat(batch.path("payload").path("events").size()).isBetween(1, 100);
            assertThat(ws.rawUtf8Bytes(batch)).isLessThan(131_072);
            batch.path("payload").path("events").forEach(e -> sequences.add(e.path("sequence").asLong()));
        }
        return sequences;
    }

    private static boolean isAscendingByOne(List<Long> sequences) {
        for (int i = 1; i < sequences.size(); i++) {
            if (sequences.get(i) != sequences.get(i - 1) + 1) {
                return false;
            }
        }
        return true;
    }

    private static double metric(TestServer server, String series) {
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(response.body());
        assertThat(m.find()).as("series %s", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
