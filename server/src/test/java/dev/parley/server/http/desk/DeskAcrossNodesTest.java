package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ParleyServer;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.Passwords;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.store.postgres.PostgresStore;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-agent desk across nodes (issue 11): several real nodes on one embedded PostgreSQL and
 * one in-process fan-out hub, users and agents on real WebSockets, each on the node the test
 * chooses. The first node started leads the desk.
 */
class DeskAcrossNodesTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";
    private static final String ASK_FOR_HUMAN = "I need a human";
    private static final String QUEUE_STATUS = "EVENT_TYPE_HANDOFF_QUEUE_STATUS";
    private static final String JOINED = "EVENT_TYPE_LIVE_AGENT_JOINED";

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    private final InMemoryFanOut.Hub hub = new InMemoryFanOut.Hub();
    private final List<TestServer> nodes = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        execute("DO $$ BEGIN IF to_regclass('sessions') IS NOT NULL THEN TRUNCATE sessions, live_agents CASCADE;"
                + " UPDATE desk_leader SET leader_node = NULL, lease_until = NULL; END IF; END $$");
    }

    @AfterEach
    void stopNodes() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // already closed
            }
        }
        nodes.forEach(TestServer::close);
        hub.close();
    }

    // ---- set-up --------------------------------------------------------------------------------

    /** support AUTO (at most {@code supportMaxWait}), sales MANUAL. */
    private static DeskConfig desk(Duration supportMaxWait) {
        return new DeskConfig(true, List.of(QueueSettings.auto("support", supportMaxWait),
                new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofMinutes(10), true)),
                Duration.ofMinutes(5), Duration.ofMinutes(5), null, null);
    }

    private TestServer node(String name, DeskConfig desk, Path flowFile, Clock clock) {
        TestServer node = TestServer.start(dir.resolve(name), c -> {
            ParleyConfig config = c.withStore(db.storeConfig()).withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8))
                    .withDesk(desk).withLeases(ParleyConfig.Leases.DEFAULTS);
            return flowFile == null ? config : config.withFlowFile(flowFile);
        }, clock, hub.node());
        nodes.add(node);
        if (nodes.size() == 1) {
            createAgents();
        }
        return node;
    }

    private TestServer node(String name, DeskConfig desk) {
        return node(name, desk, null, Clock.systemUTC());
    }

    /** Sarah (support and sales, 3 at once) and Tom (sales), in the shared store. */
    private void createAgents() {
        try (PostgresStore store = PostgresStore.open(db.storeConfig())) {
            Passwords fast = new Passwords(4, new java.security.SecureRandom());
            for (DeskAgent agent : List.of(DeskTestNode.SARAH, DeskTestNode.TOM)) {
                store.createAgent(agent, fast.hash(DeskTestNode.PASSWORD.toCharArray()));
            }
        }
    }

    private Path flowHandingOffTo(String queue) {
        try (InputStream in = getClass().getResourceAsStream("/flows/demo.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Path file = dir.resolve("flow-" + queue + ".yaml");
            Files.writeString(file, yaml.replace("queue: support", "queue: " + queue));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A live agent on a desk socket of {@code node}, past the first snapshot. */
    private DeskClient agent(TestServer node, String name) {
        DeskHttp http = new DeskHttp(node.baseUrl());
        DeskClient desk = DeskClient.connect(node.baseUrl(), http.token(name, DeskTestNode.PASSWORD));
        open.add(desk);
        assertThat(desk.next().path("type").asText()).isEqualTo("desk.snapshot");
        return desk;
    }

    /** A session created on {@code node} with its socket there (so that node owns it), greeted by the AI. */
    private WsClient greetedUser(TestServer node) {
        WsClient user = node.newSession(false);
        open.add(user);
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        return user;
    }

    private static List<JsonNode> askForHuman(WsClient user, String lastType) {
        user.say(ASK_FOR_HUMAN);
        return Frames.readUntil(user, f -> Frames.type(f).equals(lastType));
    }

    private static JsonNode payload(JsonNode frame) {
        return frame.path("payload");
    }

    private static Predicate<JsonNode> deskEvent(String eventType) {
        return m -> m.path("type").asText().equals("desk.event")
                && m.path("event").path("type").asText().equals(eventType);
    }

    private static boolean leads(TestServer node) {
        return node.server().desk().isPresent();
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void exactlyOneAgentWinsAClaimRaceBetweenTwoNodes() throws Exception {
        Path sales = flowHandingOffTo("sales");
        TestServer a = node("a", desk(Duration.ofMinutes(10)), sales, Clock.systemUTC());
        TestServer b = node("b", desk(Duration.ofMinutes(10)), sales, Clock.systemUTC());
        assertThat(leads(a)).isTrue();
        assertThat(leads(b)).as("one desk in the cluster").isFalse();
        DeskClient sarah = agent(a, "Sarah");
        DeskClient tom = agent(b, "Tom");
        WsClient user = greetedUser(b);
        JsonNode status = payload(askForHuman(user, QUEUE_STATUS).stream().reduce((x, y) -> y).orElseThrow());
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        user.assertNoMoreEvents();

        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Void>> claims = new ArrayList<>();
        for (DeskClient desk : List.of(sarah, tom)) {
            claims.add(CompletableFuture.runAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                desk.send(DeskClient.command("desk.claim").put("request_id", "claim").put("session_id", user.sessionId()));
            }));
        }
        CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new)).get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);

        Predicate<JsonNode> answer = m -> m.path("type").asText().equals("desk.assigned")
                || m.path("type").asText().equals("desk.error");
        JsonNode sarahGot = sarah.next(answer);
        JsonNode tomGot = tom.next(answer);
        assertThat(List.of(sarahGot.path("type").asText(), tomGot.path("type").asText()))
                .containsExactlyInAnyOrder("desk.assigned", "desk.error");
        JsonNode refused = sarahGot.path("type").asText().equals("desk.error") ? sarahGot : tomGot;
        assertThat(refused.path("message").asText()).isEqualTo("conversation not available");
        String winner = sarahGot == refused ? "agt_tom" : "agt_sarah";
        List<JsonNode> frames = Frames.readUntil(user, f -> Frames.type(f).equals(JOINED));
        assertThat(payload(frames.get(frames.size() - 1)).path("agent").path("id").asText()).isEqualTo(winner);
        user.assertNoMoreEvents(); // exactly one LIVE_AGENT_JOINED
        assertThat(countStored(user.sessionId(), "LIVE_AGENT_JOINED")).isOne();
    }

    @Test
    void anAgentOnTheLeaderServesAUserWhoseSessionAnotherNodeOwnsBothWays() {
        TestServer a = node("a", desk(Duration.ofMinutes(10)));
        TestServer b = node("b", desk(Duration.ofMinutes(10)));
        DeskClient sarah = agent(a, "Sarah");
        WsClient user = greetedUser(b);

        List<JsonNode> handoff = askForHuman(user, JOINED);
        assertThat(handoff.stream().map(Frames::type)).contains("EVENT_TYPE_HANDOFF_ACCEPTED", QUEUE_STATUS);
        assertThat(payload(handoff.get(handoff.size() - 1)).path("agent").path("name").asText()).isEqualTo("Sarah");
        assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
        sarah.next(deskEvent("EVENT_TYPE_EVENT_BATCH")); // the history, read on A from the store

        user.say("My booking for tonight is wrong");
        user.nextOfType("EVENT_TYPE_USER_MESSAGE"); // the echo
        JsonNode seen = sarah.next(m -> deskEvent("EVENT_TYPE_USER_MESSAGE").test(m)
                && m.path("event").path("payload").path("text").asText().equals("My booking for tonight is wrong"));
        assertThat(seen.path("session_id").asText()).isEqualTo(user.sessionId());
        user.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STARTED\"}}");
        assertThat(sarah.next(deskEvent("EVENT_TYPE_USER_TYPING")).path("event").path("payload").path("state").asText())
                .isEqualTo("TYPING_STATE_STARTED");

        sarah.send(DeskClient.command("desk.typing").put("session_id", user.sessionId()).put("state", "TYPING_STATE_STARTED"));
        assertThat(payload(user.next("EVENT_TYPE_LIVE_AGENT_TYPING")).path("agent_name").asText()).isEqualTo("Sarah");
        sarah.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "Let me fix that for you."));
        assertThat(payload(user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE")).path("text").asText()).isEqualTo("Let me fix that for you.");
        sarah.next(m -> deskEvent("EVENT_TYPE_LIVE_AGENT_MESSAGE").test(m)); // her own message, as stored

        sarah.send(DeskClient.command("desk.end").put("session_id", user.sessionId()));
        assertThat(payload(user.next("EVENT_TYPE_LIVE_AGENT_LEFT")).path("agent_id").asText()).isEqualTo("agt_sarah");
        assertThat(payload(user.next("EVENT_TYPE_SESSION_END")).path("reason").asText()).isEqualTo("REASON_NATURAL_END");
        assertThat(sarah.next("desk.unassigned").path("session_id").asText()).isEqualTo(user.sessionId());
    }

    @Test
    void aSupervisorOnAnotherNodeWatchesAndTakesOverAConversationOwnedOnTheLeader() throws SQLException {
        TestServer a = node("a", desk(Duration.ofMinutes(10)));
        TestServer b = node("b", desk(Duration.ofMinutes(10)));
        try (PostgresStore store = PostgresStore.open(db.storeConfig())) {
            store.createAgent(DeskSupervisorSocketTest.MARIA,
                    new Passwords(4, new java.security.SecureRandom()).hash(DeskTestNode.PASSWORD.toCharArray()));
        }
        DeskClient sarah = agent(a, "Sarah");
        DeskClient maria = agent(b, "Maria");
        WsClient user = greetedUser(a);
        askForHuman(user, JOINED);
        String sessionId = user.sessionId();
        assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);

        // the leader's overview reaches B's socket
        maria.next(m -> m.path("type").asText().equals("desk.overview") && m.path("agents").toString().contains(sessionId));
        maria.send(DeskClient.command("desk.watch").put("session_id", sessionId));
        maria.next(deskEvent("EVENT_TYPE_EVENT_BATCH")); // the history, read on B
        user.say("Hello from node A");
        maria.next(m -> deskEvent("EVENT_TYPE_USER_MESSAGE").test(m)
                && m.path("event").path("payload").path("text").asText().equals("Hello from node A"));

        maria.send(DeskClient.command("desk.take_over").put("session_id", sessionId));
        assertThat(maria.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);
        JsonNode gone = sarah.next("desk.unassigned");
        assertThat(gone.path("reason").asText()).isEqualTo("taken_over");
        assertThat(gone.path("by").path("name").asText()).isEqualTo("Maria");
        List<JsonNode> toUser = Frames.readUntil(user, f -> Frames.type(f).equals(JOINED));
        assertThat(payload(toUser.get(toUser.size() - 1)).path("agent").path("id").asText()).isEqualTo("agt_maria");

        maria.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "Maria, from node B."));
        assertThat(payload(user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE")).path("agent_id").asText()).isEqualTo("agt_maria");
        assertThat(countStored(sessionId, "LIVE_AGENT_LEFT")).isZero();
        assertThat(countStored(sessionId, "LIVE_AGENT_JOINED")).isEqualTo(2);
        // B told the leader of Maria's first reply: the team view times it
        maria.next(m -> m.path("type").asText().equals("desk.overview") && java.util.stream.StreamSupport
                .stream(m.path("agents").spliterator(), false)
                .anyMatch(x -> x.path("id").asText().equals("agt_maria") && x.path("average_first_response_seconds").isIntegralNumber()));
    }

    @Test
    void anAgentOnANodeThatNeitherLeadsNorOwnsServesThreeConversationsAtOnce() {
        TestServer a = node("a", desk(Duration.ofMinutes(10)));
        TestServer b = node("b", desk(Duration.ofMinutes(10)));
        DeskClient sarah = agent(b, "Sarah"); // B: not the leader, owns none of the sessions
        List<WsClient> users = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WsClient user = greetedUser(a);
            askForHuman(user, JOINED);
            users.add(user);
            assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
        }
        for (int i = 0; i < 3; i++) {
            WsClient user = users.get(i);
            String text = "question " + i;
            user.say(text);
            JsonNode seen = sarah.next(m -> deskEvent("EVENT_TYPE_USER_MESSAGE").test(m)
                    && m.path("event").path("payload").path("text").asText().equals(text));
            assertThat(seen.path("session_id").asText()).isEqualTo(user.sessionId());
            sarah.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "answer " + i));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(payload(users.get(i).nextOfType("EVENT_TYPE_LIVE_AGENT_MESSAGE")).path("text").asText())
                    .isEqualTo("answer " + i);
        }
        // A fourth is beyond her capacity of three: it waits.
        WsClient fourth = greetedUser(a);
        JsonNode status = payload(askForHuman(fourth, QUEUE_STATUS).stream().reduce((x, y) -> y).orElseThrow());
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        fourth.assertNoMoreEvents();
    }

    @Test
    void leaveFromANodeThatIsNotTheLeaderPutsTheUserBackInTheQueueAndEndFinishes() {
        TestServer a = node("a", desk(Duration.ofMinutes(10)));
        TestServer b = node("b", desk(Duration.ofMinutes(10)));
        DeskClient sarah = agent(b, "Sarah"); // B: desk calls go to A, the leader
        WsClient user = greetedUser(a);
        askForHuman(user, JOINED);
        assertThat(sarah.next("desk.assigned").path("conversation").path("label").asText()).isNotBlank();

        sarah.send(DeskClient.command("desk.leave").put("session_id", user.sessionId()));
        assertThat(payload(user.next(QUEUE_STATUS)).path("position_in_queue").asInt()).isEqualTo(1);
        assertThat(sarah.next("desk.unassigned").path("session_id").asText()).isEqualTo(user.sessionId());
        user.assertNoMoreEvents(); // neither LIVE_AGENT_LEFT nor back to Sarah

        sarah.send(DeskClient.command("desk.claim").put("session_id", user.sessionId()));
        user.next(JOINED);
        sarah.next("desk.assigned");
        sarah.send(DeskClient.command("desk.end").put("session_id", user.sessionId()));
        user.next("EVENT_TYPE_LIVE_AGENT_LEFT");
        assertThat(payload(user.next("EVENT_TYPE_SESSION_END")).path("reason").asText()).isEqualTo("REASON_NATURAL_END");
    }

    @Test
    void aQueueTimeoutFiresExactlyOnceWithTwoNodes() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.now());
        TestServer a = node("a", desk(Duration.ofMinutes(2)), null, clock);
        TestServer b = node("b", desk(Duration.ofMinutes(2)), null, clock);
        WsClient onB = greetedUser(b);
        WsClient onA = greetedUser(a);
        askForHuman(onB, QUEUE_STATUS);
        askForHuman(onA, QUEUE_STATUS);
        // Nobody serves support live: both wait until the clock passes the queue's maximum wait.
        clock.advance(Duration.ofMinutes(3));
        for (WsClient user : List.of(onA, onB)) {
            assertThat(payload(user.next("EVENT_TYPE_HANDOFF_TIMEOUT")).path("reason").asText())
                    .isEqualTo("No human agent became free in time.");
        }
        // More desk ticks on both nodes: had each node run its own desk, these would repeat it.
        for (int i = 0; i < 3; i++) {
            a.server().clusterDesk().orElseThrow().tick();
            b.server().clusterDesk().orElseThrow().tick();
        }
        // The desk's executor is serial: this answer comes after the ticks above have run.
        a.server().desk().orElseThrow().snapshot("agt_sarah").toCompletableFuture().get(10, TimeUnit.SECONDS);
        onA.assertNoMoreEvents();
        onB.assertNoMoreEvents();
        assertThat(countStored(onA.sessionId(), "HANDOFF_TIMEOUT")).isOne();
        assertThat(countStored(onB.sessionId(), "HANDOFF_TIMEOUT")).isOne();
    }

    @Test
    void whenTheLeaderDiesAnotherNodeTakesTheDeskAfterTheLeaseExpiresAndTheQueueKeepsItsOrder() throws Exception {
        Path sales = flowHandingOffTo("sales");
        TestServer a = node("a", desk(Duration.ofMinutes(10)), sales, Clock.systemUTC());
        TestServer b = node("b", desk(Duration.ofMinutes(10)), sales, Clock.systemUTC());
        DeskClient tom = agent(b, "Tom");
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WsClient user = greetedUser(b);
            JsonNode status = payload(askForHuman(user, QUEUE_STATUS).stream().reduce((x, y) -> y).orElseThrow());
            assertThat(status.path("position_in_queue").asInt()).isEqualTo(i + 1);
            waiting.add(user.sessionId());
        }

        a.server().closeAbruptly(); // the leader dies without giving its lease up
        b.server().clusterDesk().orElseThrow().renew();
        assertThat(leads(b)).as("no takeover while the dead leader's lease is live").isFalse();
        execute("UPDATE desk_leader SET lease_until = now() - interval '1 second'");
        b.server().clusterDesk().orElseThrow().renew();
        assertThat(leads(b)).isTrue();

        // Tom's socket on B is registered with the new desk, which reloaded the queue from the store.
        JsonNode snapshot = tom.next(m -> m.path("type").asText().equals("desk.snapshot")
                && salesWaiting(m).size() == 3);
        assertThat(salesWaiting(snapshot)).containsExactlyElementsOf(waiting);
        tom.send(DeskClient.command("desk.claim").put("request_id", "next"));
        assertThat(tom.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(waiting.get(0));
    }

    private static List<String> salesWaiting(JsonNode snapshot) {
        List<String> ids = new ArrayList<>();
        for (JsonNode queue : snapshot.path("queues")) {
            if (queue.path("name").asText().equals("sales")) {
                queue.path("waiting").forEach(w -> ids.add(w.path("session_id").asText()));
            }
        }
        return ids;
    }

    // ---- the database --------------------------------------------------------------------------

    private static long countStored(String sessionId, String type) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url());
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM events WHERE session_id = ? AND type LIKE ?")) {
            ps.setString(1, sessionId);
            ps.setString(2, "%" + type);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
