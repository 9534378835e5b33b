package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Ids;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.server.agent.webhook.TestBot;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.config.AgentsConfig;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.Secret;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.postgres.PostgresStore;
import dev.parley.server.testing.ContextTokens;
import dev.parley.server.testing.Rest;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a socket on a node that does not own its session gets, and the limits that count across
 * nodes (issue 11): in-process nodes on one embedded PostgreSQL and one in-process fan-out hub.
 */
class SeveralNodesSharedLimitsTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";
    private static final String BOT_SECRET = "context-secret";

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    private final InMemoryFanOut.Hub hub = new InMemoryFanOut.Hub();
    private final List<TestServer> nodes = new ArrayList<>();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        execute("DO $$ BEGIN IF to_regclass('sessions') IS NOT NULL THEN TRUNCATE sessions CASCADE; END IF; END $$");
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(TestServer::close);
        hub.close();
    }

    private TestServer node(String name, UnaryOperator<ParleyConfig> tweak) {
        TestServer node = TestServer.start(dir.resolve(name), c -> tweak.apply(c.withStore(db.storeConfig())
                .withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8)).withDesk(DeskConfig.DISABLED)
                .withLeases(ParleyConfig.Leases.DEFAULTS)), Clock.systemUTC(), hub.node());
        nodes.add(node);
        return node;
    }

    @Test
    void aTwentyThousandEventSessionReplaysCompletelyThroughANodeThatDoesNotOwnItAndThenGoesLive() throws Exception {
        // 1 MB per socket: the history (about 5 MB) fits only if it is paged as the socket reads.
        UnaryOperator<ParleyConfig> smallSocketBuffers = c -> c.withOutbound(
                new ParleyConfig.Outbound(Duration.ofSeconds(30), 256L << 20, 1L << 20));
        TestServer a = node("a", smallSocketBuffers);
        TestServer b = node("b", smallSocketBuffers);
        String token = a.rest().accessToken();
        String sessionId = a.rest().createSession(token, false);
        prefill(sessionId, 20_000, 200);
        WsClient onA = WsClient.connect(a.baseUrl(), sessionId, token, String.valueOf(20_001)); // A owns it now
        onA.replay();

        try (WsClient onB = WsClient.connect(b.baseUrl(), sessionId, token, null)) {
            List<Long> sequences = replayedSequences(onB, 20_001);
            assertThat(sequences).hasSize(20_001);
            assertThat(sequences.get(0)).isEqualTo(1);
            assertThat(isAscendingByOne(sequences)).as("every event once, in order").isTrue();

            onA.join();
            JsonNode live = onB.next();
            assertThat(live.path("type").asText()).isEqualTo("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            assertThat(live.path("sequence").asLong()).as("live right after the replay, no gap").isEqualTo(20_002);
            onB.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
            onB.say("from the follower", "c-2");
            assertThat(onB.nextOfType("EVENT_TYPE_USER_MESSAGE").path("metadata").path("custom")
                    .path("client_event_id").asText()).isEqualTo("c-2");
            assertThat(ownerOf(sessionId)).as("B only followed").isEqualTo(a.server().sessions().nodeId());
        }
        onA.close();
    }

    @Test
    void theTenConnectionsOfASessionAreCountedOverAllNodesAndTheEleventhIsRefusedWith429OnEither() throws Exception {
        TestServer a = node("a", c -> c);
        TestServer b = node("b", c -> c);
        String token = a.rest().accessToken();
        String sessionId = a.rest().createSession(token, false);
        List<WsClient> sockets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sockets.add(WsClient.connect(a.baseUrl(), sessionId, token, null));
        }
        for (int i = 0; i < 4; i++) {
            sockets.add(WsClient.connect(b.baseUrl(), sessionId, token, null));
        }

        assertThat(WsClient.refusedStatus(a.baseUrl(), sessionId, token, null)).as("the owner").isEqualTo(429);
        assertThat(WsClient.refusedStatus(b.baseUrl(), sessionId, token, null)).as("a follower").isEqualTo(429);

        sockets.remove(sockets.size() - 1).close(); // one of B's
        // The slot is freed once B saw the close: until then the limit still holds, never more.
        WsClient again = await().atMost(WsClient.WAIT).ignoreException(WsClient.HandshakeRefused.class)
                .until(() -> WsClient.connect(a.baseUrl(), sessionId, token, null), ws -> true);
        again.replay();
        sockets.add(again);
        assertThat(WsClient.refusedStatus(b.baseUrl(), sessionId, token, null)).isEqualTo(429);
        sockets.forEach(WsClient::close);
    }

    @Test
    void theSocketsOfANodeThatDiedStopCountingOnceItsSlotsExpire() throws Exception {
        TestServer a = node("a", c -> c);
        String token = a.rest().accessToken();
        String sessionId = a.rest().createSession(token, false);
        // Nine sockets of a node that was killed: it renews nothing and frees nothing any more.
        execute("INSERT INTO session_connections (slot_id, session_id, node_id, expires_at)"
                + " SELECT 'dead/' || n, '" + sessionId + "', 'dead', now() + interval '2 seconds'"
                + " FROM generate_series(1, 9) n");
        WsClient onA = WsClient.connect(a.baseUrl(), sessionId, token, null);
        assertThat(WsClient.refusedStatus(a.baseUrl(), sessionId, token, null)).isEqualTo(429);

        WsClient again = await().atMost(WsClient.WAIT).ignoreException(WsClient.HandshakeRefused.class)
                .until(() -> WsClient.connect(a.baseUrl(), sessionId, token, null), ws -> true);

        again.close();
        onA.close();
    }

    @Test
    void aVerifiedContextSubmittedThroughANodeThatDoesNotOwnTheSessionReachesTheOwnersAgentOnItsNextTurn()
            throws Exception {
        try (TestBot bot = TestBot.start(BOT_SECRET, SeveralNodesSharedLimitsTest::contextBot)) {
            AgentsConfig.Webhook hook = new AgentsConfig.Webhook(bot.url(), null, null, new Secret(BOT_SECRET),
                    Duration.ofSeconds(5), 1, "Hook", null, 10);
            UnaryOperator<ParleyConfig> withBot = c -> c.withAgents(
                    AgentsConfig.DEFAULTS.withDefault(AgentsConfig.Kind.WEBHOOK).withWebhook(hook));
            TestServer a = node("a", withBot);
            TestServer b = node("b", withBot);
            String siteSecret = addContextKey("site-1");
            WsClient onA = a.newSession(false); // A owns the session
            String contextId = onA.replay().get(0).path("payload").path("context_id").asText();
            onA.join();
            onA.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE"); // the greeting

            HttpResponse<String> answer = ContextTokens.submit(b.rest(), onA,
                    ContextTokens.sign("site-1", siteSecret, contextId, Map.of("plan", "gold")));

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(Rest.json(answer).path("context_id").asText()).isEqualTo(contextId);
            onA.say("hello", "c-1");
            assertThat(onA.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE").path("payload").path("text").asText())
                    .isEqualTo("ctx={\"plan\":\"gold\"}");
            assertThat(ownerOf(onA.sessionId())).as("B did not take the session").isEqualTo(a.server().sessions().nodeId());
            HttpResponse<String> forged = ContextTokens.submit(b.rest(), onA, ContextTokens.sign("site-1",
                    "a-guess-at-the-secret-that-is-long-enough-0123", contextId, Map.of("plan", "free")));
            assertThat(forged.statusCode()).as("verified on B like anywhere").isEqualTo(422);
            onA.close();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Answers every turn with the context it was given, so the user sees what the agent saw. */
    private static TestBot.Response contextBot(TestBot.Request request) {
        return TestBot.Response.json("{\"messages\":[{\"text\":" + new com.fasterxml.jackson.databind.node.TextNode(
                "ctx=" + request.body().path("context")) + "}]}");
    }

    /** A context key of the demo connector, sealed as {@code parley admin connector context-key add} does. */
    private static String addContextKey(String kid) {
        String secret = "a-site-secret-for-signing-context-tokens-0123456789";
        String sealed = ContextKeySealer.fromServerSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8), new SecureRandom())
                .seal("con_demo", kid, secret.getBytes(StandardCharsets.US_ASCII));
        try (PostgresStore store = PostgresStore.open(db.storeConfig())) {
            store.addContextKey(new ContextKey("con_demo", kid, sealed, java.time.Instant.now()));
        }
        return secret;
    }

    /** Appends {@code count} stored system messages after SESSION_START, as the owner would have. */
    private static void prefill(String sessionId, int count, int chars) throws SQLException {
        String text = "x".repeat(chars);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = DriverManager.getConnection(db.url())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO events (session_id, seq, event_id, type, ts, json) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (long seq = 2; seq <= count + 1; seq++) {
                    SystemMessage payload = SystemMessage.warning(text, "prefill " + seq);
                    String id = Ids.eventId();
                    ps.setString(1, sessionId);
                    ps.setLong(2, seq);
                    ps.setString(3, id);
                    ps.setString(4, payload.type().name());
                    ps.setObject(5, now);
                    ps.setString(6, ServerEventEncoder.encode(new ServerEvent(id, seq, now.toInstant(), payload, null)));
                    ps.addBatch();
                    if (seq % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET head_seq = ? WHERE id = ?")) {
                ps.setLong(1, count + 1);
                ps.setString(2, sessionId);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    /** Reads replay batches until {@code expected} events arrived; checks the batch limits of §13.3. */
    private static List<Long> replayedSequences(WsClient ws, int expected) {
        List<Long> sequences = new ArrayList<>();
        while (sequences.size() < expected) {
            JsonNode batch = ws.next("EVENT_TYPE_EVENT_BATCH");
            assertThat(batch.path("payload").path("events").size()).isBetween(1, 100);
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

    private static String ownerOf(String sessionId) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url());
             PreparedStatement ps = c.prepareStatement("SELECT owner_node FROM sessions WHERE id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
