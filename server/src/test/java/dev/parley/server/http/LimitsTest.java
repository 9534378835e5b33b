package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time and rate limits over a real socket: the idle timeout (PROTOCOL.md §3.5, close 1001), the
 * session inactivity timeout (§13.13, {@code REASON_USER_ABANDONED} then 1000) and the per-session
 * rate limit (§11.6, §13.26: dropped with a warning, socket kept, journal without gaps).
 */
class LimitsTest {
    private static final String HEARTBEAT = "{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{}}";

    @TempDir
    Path dir;
    private TestServer server;
    private ScheduledExecutorService heartbeats;

    @AfterEach
    void stop() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(UnaryOperator<ParleyConfig> tweak) {
        server = TestServer.start(dir, tweak);
    }

    // ---- idle timeout (§3.5) -----------------------------------------------------------------

    @Test
    void aSilentConnectionIsClosedWith1001AfterTheIdleTimeoutWhileAHeartbeatingOneLivesOn() throws InterruptedException {
        start(c -> c.withTimeouts(Duration.ofMillis(600), Duration.ofSeconds(30)));
        try (WsClient silent = server.newSession(false); WsClient alive = server.newSession(false)) {
            silent.replay();
            alive.replay();
            long startedAt = System.nanoTime();
            AtomicInteger sent = new AtomicInteger();
            heartbeats = Executors.newSingleThreadScheduledExecutor();
            heartbeats.scheduleAtFixedRate(() -> {
                if (!alive.isClosed()) {
                    alive.send(HEARTBEAT);
                    sent.incrementAndGet();
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            assertThat(silent.awaitClose()).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(500));

            // Keep watching the heartbeating socket for more than three idle timeouts.
            await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(5))
                    .until(() -> !alive.isClosed());
            heartbeats.shutdownNow();
            assertThat(heartbeats.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(sent.get()).isGreaterThanOrEqualTo(10);
            for (int i = 0; i < sent.get(); i++) {
                assertThat(alive.next().path("type").asText()).isEqualTo("EVENT_TYPE_HEARTBEAT");
            }
            alive.assertNoMoreEvents();
        }
    }

    @Test
    void anIdleCloseDoesNotEndTheSession() {
        start(c -> c.withTimeouts(Duration.ofMillis(600), Duration.ofSeconds(30)));
        WsClient ws = server.newSession(false);
        ws.replay();
        assertThat(ws.awaitClose()).isEqualTo(1001);
        ws.close();
        try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
            assertThat(again.replay()).extracting(e -> e.path("type").asText())
                    .containsExactly("EVENT_TYPE_SESSION_START");
            again.join();
            again.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            again.next("EVENT_TYPE_POLY_AGENT_JOINED");
        }
    }

    // ---- session inactivity (§13.13) -----------------------------------------------------------

    @Test
    void aConnectedButSilentClientIsToldTheSessionWasAbandonedThenClosedWith1000() {
        start(c -> c.withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(800)));
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            JsonNode end = ws.next("EVENT_TYPE_SESSION_END");
            assertThat(end.path("payload").path("reason").asText()).isEqualTo("REASON_USER_ABANDONED");
            assertThat(end.path("sequence").asLong()).isEqualTo(2);
            assertThat(ws.awaitClose()).isEqualTo(1000);

            try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
                assertThat(again.replay()).extracting(e -> e.path("type").asText())
                        .containsExactly("EVENT_TYPE_SESSION_START", "EVENT_TYPE_SESSION_END");
                assertThat(again.awaitClose()).isEqualTo(1000);
            }
        }
    }

    @Test
    void heartbeatsCountAsActivitySoTheSessionIsNotAbandoned() throws InterruptedException {
        start(c -> c.withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(800)));
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            heartbeats = Executors.newSingleThreadScheduledExecutor();
            heartbeats.scheduleAtFixedRate(() -> {
                if (!ws.isClosed()) {
                    ws.send(HEARTBEAT);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            await().during(Duration.ofMillis(2400)).atMost(Duration.ofSeconds(5)).until(() -> !ws.isClosed());
            heartbeats.shutdownNow();
            assertThat(heartbeats.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(probeAnswered(ws)).as("only heartbeat echoes, no SESSION_END").isTrue();
        }
    }

    /** Sends a tagged heartbeat and reads up to its echo; all frames before it must be heartbeat echoes. */
    private static boolean probeAnswered(WsClient ws) {
        ws.send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"last\":true}}}");
        while (true) {
            JsonNode frame = ws.next();
            assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo("EVENT_TYPE_HEARTBEAT");
            if (frame.path("metadata").path("custom").path("last").asBoolean()) {
                return true;
            }
        }
    }

    @Test
    void aSessionLeftWithoutAConnectionEndsAsAbandonedAndReplaysThat() {
        start(c -> c.withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(800)));
        WsClient ws = server.newSession(false);
        ws.replay();
        ws.abort(); // the browser went away without a close handshake
        await().pollDelay(Duration.ofMillis(1200)).pollInterval(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
                        List<JsonNode> replay = again.replay();
                        JsonNode last = replay.get(replay.size() - 1);
                        assertThat(last.path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_END");
                        assertThat(last.path("payload").path("reason").asText()).isEqualTo("REASON_USER_ABANDONED");
                        assertThat(again.awaitClose()).isEqualTo(1000);
                    }
                });
    }

    // ---- rate limit (§11.6, §13.26) ----------------------------------------------------------

    @Test
    void aHeartbeatFloodIsPartlyDroppedWithWarningsAndTheConnectionSurvives() {
        start(c -> c.withRates(new ParleyConfig.RateLimit(1, 3), c.httpRate()));
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            for (int i = 0; i < 10; i++) {
                ws.send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"n\":" + i + "}}}");
            }
            int echoed = 0;
            int warned = 0;
            for (int i = 0; i < 10; i++) {
                JsonNode frame = ws.next();
                assertThat(frame.path("metadata").path("custom").path("n").asInt()).as("answer order").isEqualTo(i);
                assertThat(frame.get("sequence").isNull()).isTrue();
                if (frame.path("type").asText().equals("EVENT_TYPE_HEARTBEAT")) {
                    echoed++;
                } else {
                    assertWarning(frame);
                    warned++;
                }
            }
            assertThat(echoed).as("the burst of 3 passes").isGreaterThanOrEqualTo(3);
            assertThat(warned).as("most of the flood is dropped").isGreaterThanOrEqualTo(5);

            // Once the bucket refills, heartbeats are echoed again on the same socket.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(400)).until(() -> {
                ws.send(HEARTBEAT);
                JsonNode frame = ws.next();
                if (frame.path("type").asText().equals("EVENT_TYPE_SYSTEM_MESSAGE")) {
                    assertWarning(frame);
                    return false;
                }
                return frame.path("type").asText().equals("EVENT_TYPE_HEARTBEAT");
            });
            assertThat(ws.isClosed()).isFalse();
        }
    }

    @Test
    void floodedUserMessagesAreEachEitherStoredOrDroppedNeverBothAndTheJournalHasNoGaps() {
        start(c -> c.withRates(new ParleyConfig.RateLimit(1, 3), c.httpRate()));
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE");

            for (int i = 0; i < 10; i++) {
                ws.say("message number " + i, "flood-" + i);
            }
            Map<String, Long> echoed = new LinkedHashMap<>();
            Map<String, Integer> answers = new HashMap<>();
            List<Long> storedLive = new ArrayList<>();
            int agentMessages = 0;
            // Read until every message was answered once and the agent replied to every stored one.
            while (answers.size() < 10 || agentMessages < echoed.size()) {
                JsonNode frame = ws.next();
                String type = frame.path("type").asText();
                String clientId = frame.path("metadata").path("custom").path("client_event_id").asText(null);
                switch (type) {
                    case "EVENT_TYPE_USER_MESSAGE" -> {
                        assertThat(answers.merge(clientId, 1, Integer::sum)).as("answers to %s", clientId).isEqualTo(1);
                        echoed.put(clientId, frame.get("sequence").asLong());
                        storedLive.add(frame.get("sequence").asLong());
                    }
                    case "EVENT_TYPE_SYSTEM_MESSAGE" -> {
                        assertWarning(frame);
                        assertThat(frame.get("sequence").isNull()).isTrue();
                        assertThat(answers.merge(clientId, 1, Integer::sum)).as("answers to %s", clientId).isEqualTo(1);
                    }
                    case "EVENT_TYPE_POLY_AGENT_MESSAGE" -> {
                        agentMessages++;
                        storedLive.add(frame.get("sequence").asLong());
                    }
                    case "EVENT_TYPE_POLY_AGENT_THINKING" -> assertThat(frame.get("sequence").isNull()).isTrue();
                    default -> throw new AssertionError("unexpected frame " + frame);
                }
            }
            assertThat(answers.keySet()).hasSize(10);
            assertThat(echoed).as("some got through").isNotEmpty();
            assertThat(echoed.size()).as("some were dropped").isLessThan(10);
            assertThat(storedLive).as("live sequences strictly increase").isSorted().doesNotHaveDuplicates();
            assertThat(new ArrayList<>(echoed.values())).isSorted();

            // The journal holds exactly the echoed messages, once each, with contiguous sequences.
            try (WsClient reader = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
                List<JsonNode> replay = reader.replay();
                for (int i = 0; i < replay.size(); i++) {
                    assertThat(replay.get(i).path("sequence").asLong()).as("sequence at %d", i).isEqualTo(i + 1);
                }
                Map<String, Long> stored = new LinkedHashMap<>();
                replay.stream().filter(e -> e.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE")).forEach(e ->
                        assertThat(stored.put(e.path("metadata").path("custom").path("client_event_id").asText(),
                                e.path("sequence").asLong())).as("stored twice: %s", e).isNull());
                assertThat(stored).isEqualTo(echoed);
                assertThat(replay.stream().filter(e -> e.path("type").asText().equals("EVENT_TYPE_POLY_AGENT_MESSAGE")))
                        .hasSize(echoed.size() + 1);
            }
        }
    }

    private static void assertWarning(JsonNode frame) {
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo("EVENT_TYPE_SYSTEM_MESSAGE");
        assertThat(frame.path("payload").path("level").asText()).isEqualTo("SYSTEM_MESSAGE_LEVEL_WARNING");
        assertThat(frame.path("payload").path("message").asText()).containsIgnoringCase("rate limit");
    }
}
