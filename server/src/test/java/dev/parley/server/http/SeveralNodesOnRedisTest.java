package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.fanout.RedisFanOut;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.RedisServer;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL, each with its own real Redis fan-out (issue 11): sockets of one
 * session on both see the same gap-free stream, also while Redis is down (followers read the store
 * every second) and after it comes back, with no event lost or doubled.
 */
class SeveralNodesOnRedisTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final RedisFanOut.Settings FAST = new RedisFanOut.Settings(Duration.ofMillis(100),
            Duration.ofMillis(600), Duration.ofMillis(20), Duration.ofMillis(200), 1000);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.start(); // for the next test, should this one have failed during the outage
    }

    private TestServer node(String name) {
        TestServer node = TestServer.start(dir.resolve(name), c -> c.withStore(db.storeConfig())
                        .withJwtSecret("a-secret-every-node-shares-0123456789".getBytes(StandardCharsets.UTF_8))
                        .withDesk(DeskConfig.DISABLED),
                Clock.systemUTC(), RedisFanOut.connect(redis.url(), FAST));
        open.add(node);
        return node;
    }

    @Test
    void socketsOnTwoNodesSeeIdenticalGapFreeStreamsWhileRedisIsKilledAndRestartedMidConversation() {
        TestServer a = node("a");
        TestServer b = node("b");
        awaitStatus(a, "ok");
        awaitStatus(b, "ok");
        WsClient onA = a.newSession(false); // A owns the session
        open.add(onA);
        List<JsonNode> seenOnA = new ArrayList<>(onA.replay());
        WsClient onB = onA.reconnect(b.baseUrl(), "0"); // B follows it
        open.add(onB);
        List<JsonNode> seenOnB = new ArrayList<>(onB.replay());

        onB.join(); // forwarded to the owner through Redis
        until(onB, seenOnB, "EVENT_TYPE_POLY_AGENT_JOINED");
        until(onB, seenOnB, "EVENT_TYPE_POLY_AGENT_MESSAGE"); // the greeting
        onB.say("through redis", "c-1");
        replyTo(onB, seenOnB, "c-1");

        redis.stop(); // mid-conversation
        awaitStatus(a, "degraded");
        onA.say("while redis is down", "c-2");
        long replyWhileDown = replyTo(onA, seenOnA, "c-2").path("sequence").asLong();
        // B hears no doorbell now: its head check reads the store.
        untilSequence(onB, seenOnB, replyWhileDown);

        assertThat(b.server().sessions().cluster().gaps()).as("B found events no doorbell announced (refills %d, seen %s)",
                b.server().sessions().cluster().refills(), seenOnB).isPositive();
        assertThat(b.server().sessions().cluster().refills()).isPositive();

        redis.start();
        awaitStatus(a, "ok");
        awaitStatus(b, "ok");
        onB.say("after redis came back", "c-3");
        JsonNode reply = replyTo(onB, seenOnB, "c-3");
        untilSequence(onA, seenOnA, reply.path("sequence").asLong());

        WsClient everything = onA.reconnect(a.baseUrl(), "0");
        open.add(everything);
        List<JsonNode> history = everything.replay();
        long head = history.get(history.size() - 1).path("sequence").asLong();
        assertThat(head).isEqualTo(reply.path("sequence").asLong());
        assertThat(ids(seenOnA)).as("A's socket saw the stored history, once each, in order").isEqualTo(ids(history));
        assertThat(ids(seenOnB)).as("B's socket saw the same").isEqualTo(ids(history));
        assertThat(history).extracting(e -> e.path("sequence").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, head).boxed().toList());
        assertThat(history).filteredOn(e -> e.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE"))
                .extracting(e -> e.path("metadata").path("custom").path("client_event_id").asText())
                .containsExactly("c-1", "c-2", "c-3");
    }

    /** Reads until the echo of {@code clientEventId} and the agent's reply after it; returns the reply. */
    private static JsonNode replyTo(WsClient ws, List<JsonNode> seen, String clientEventId) {
        JsonNode echo;
        do {
            echo = until(ws, seen, "EVENT_TYPE_USER_MESSAGE");
        } while (!echo.path("metadata").path("custom").path("client_event_id").asText().equals(clientEventId));
        JsonNode reply = until(ws, seen, "EVENT_TYPE_POLY_AGENT_MESSAGE");
        assertThat(reply.path("sequence").asLong()).isGreaterThan(echo.path("sequence").asLong());
        return reply;
    }

    /** Reads until a frame of {@code type}, keeping every stored event the socket got. */
    private static JsonNode until(WsClient ws, List<JsonNode> seen, String type) {
        while (true) {
            JsonNode frame = ws.next();
            keepStored(frame, seen);
            if (frame.path("type").asText().equals(type)) {
                return frame;
            }
        }
    }

    private static void untilSequence(WsClient ws, List<JsonNode> seen, long sequence) {
        while (seen.isEmpty() || seen.get(seen.size() - 1).path("sequence").asLong() < sequence) {
            keepStored(ws.next(), seen);
        }
    }

    private static void keepStored(JsonNode frame, List<JsonNode> seen) {
        if (frame.path("type").asText().equals("EVENT_TYPE_EVENT_BATCH")) {
            frame.path("payload").path("events").forEach(seen::add);
        } else if (frame.path("sequence").isIntegralNumber()) {
            seen.add(frame);
        }
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    private static void awaitStatus(TestServer node, String status) {
        Rest rest = node.rest();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Rest.json(rest.get("/healthz")).get("status").asText().equals(status));
    }
}
