package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.Passwords;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.fanout.RedisFanOut;
import dev.parley.server.store.postgres.PostgresStore;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.RedisServer;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk across two nodes whose fan-out is a real Redis (issue 11): an agent on the leader
 * serves a user whose session the other node owns; with Redis down the leader's node still runs
 * the desk for the sessions it owns.
 */
class DeskAcrossNodesOnRedisTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final RedisFanOut.Settings FAST = new RedisFanOut.Settings(Duration.ofMillis(100),
            Duration.ofMillis(600), Duration.ofMillis(20), Duration.ofMillis(200), 1000);
    private static final String JOINED = "EVENT_TYPE_LIVE_AGENT_JOINED";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        try (var c = DriverManager.getConnection(db.url()); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF to_regclass('sessions') IS NOT NULL THEN TRUNCATE sessions, live_agents CASCADE;"
                    + " UPDATE desk_leader SET leader_node = NULL, lease_until = NULL; END IF; END $$");
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (RuntimeException e) {
                // already closed
            }
        }
        redis.start(); // for the next test, should this one have failed during the outage
    }

    private TestServer node(String name) {
        DeskConfig desk = new DeskConfig(true, List.of(QueueSettings.auto("support", Duration.ofMinutes(10))),
                Duration.ofMinutes(5), Duration.ofMinutes(5), null, null);
        TestServer node = TestServer.start(dir.resolve(name), c -> c.withStore(db.storeConfig())
                        .withJwtSecret("a-secret-every-node-shares-0123456789".getBytes(StandardCharsets.UTF_8))
                        .withDesk(desk).withLeases(ParleyConfig.Leases.DEFAULTS),
                Clock.systemUTC(), RedisFanOut.connect(redis.url(), FAST));
        open.add(node);
        if (open.size() == 1) {
            try (PostgresStore store = PostgresStore.open(db.storeConfig())) {
                Passwords fast = new Passwords(4, new java.security.SecureRandom());
                for (DeskAgent agent : List.of(DeskTestNode.SARAH, DeskTestNode.TOM)) {
                    store.createAgent(agent, fast.hash(DeskTestNode.PASSWORD.toCharArray()));
                }
            }
        }
        return node;
    }

    private DeskClient sarahOn(TestServer node) {
        DeskClient desk = DeskClient.connect(node.baseUrl(), new DeskHttp(node.baseUrl()).token("Sarah", DeskTestNode.PASSWORD));
        open.add(desk);
        assertThat(desk.next().path("type").asText()).isEqualTo("desk.snapshot");
        return desk;
    }

    private WsClient userAskingForAHumanOn(TestServer node) {
        WsClient user = node.newSession(false);
        open.add(user);
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        return user;
    }

    private static Predicate<JsonNode> deskEvent(String eventType, String text) {
        return m -> m.path("type").asText().equals("desk.event")
                && m.path("event").path("type").asText().equals(eventType)
                && (text == null || m.path("event").path("payload").path("text").asText().equals(text));
    }

    @Test
    void anAgentOnTheLeaderServesAUserOnTheOtherNodeThroughRedis() {
        TestServer a = node("a");
        TestServer b = node("b");
        awaitStatus(a, "ok");
        awaitStatus(b, "ok");
        DeskClient sarah = sarahOn(a);
        WsClient user = userAskingForAHumanOn(b);
        assertThat(user.nextOfType(JOINED).path("payload").path("agent").path("id").asText()).isEqualTo("agt_sarah");
        assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
        sarah.next(deskEvent("EVENT_TYPE_EVENT_BATCH", null)); // the history: from here on the desk follows live

        user.say("hello from b");
        sarah.next(deskEvent("EVENT_TYPE_USER_MESSAGE", "hello from b"));
        user.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STARTED\"}}");
        sarah.next(deskEvent("EVENT_TYPE_USER_TYPING", null));
        sarah.send(DeskClient.command("desk.typing").put("session_id", user.sessionId()).put("state", "TYPING_STATE_STARTED"));
        user.nextOfType("EVENT_TYPE_LIVE_AGENT_TYPING");
        sarah.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "hello from a"));
        assertThat(user.nextOfType("EVENT_TYPE_LIVE_AGENT_MESSAGE").path("payload").path("text").asText())
                .isEqualTo("hello from a");
    }

    @Test
    void withRedisDownTheLeadersNodeStillServesItsOwnSessionsAtTheDesk() {
        TestServer a = node("a");
        TestServer b = node("b");
        awaitStatus(a, "ok");
        awaitStatus(b, "ok");
        redis.stop();
        awaitStatus(a, "degraded");
        DeskClient sarah = sarahOn(a);
        WsClient user = userAskingForAHumanOn(a);
        assertThat(user.nextOfType(JOINED).path("payload").path("agent").path("id").asText()).isEqualTo("agt_sarah");
        sarah.next(deskEvent("EVENT_TYPE_EVENT_BATCH", null)); // the history: from here on the desk follows live
        user.say("still here");
        sarah.next(deskEvent("EVENT_TYPE_USER_MESSAGE", "still here"));
        sarah.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "me too"));
        assertThat(user.nextOfType("EVENT_TYPE_LIVE_AGENT_MESSAGE").path("payload").path("text").asText()).isEqualTo("me too");
    }

    private static void awaitStatus(TestServer node, String status) {
        Rest rest = node.rest();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Rest.json(rest.get("/healthz")).get("status").asText().equals(status));
    }
}
