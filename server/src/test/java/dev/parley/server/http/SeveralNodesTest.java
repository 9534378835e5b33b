package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.session.CloseCodes;
import dev.parley.server.session.OwnedElsewhereException;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes in one JVM on one PostgreSQL and one in-process fan-out hub (issue 11): one fenced
 * writer per session, followers on the other nodes, takeover when the owner dies.
 */
class SeveralNodesTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";

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

    private TestServer node(String name, ParleyConfig.Leases leases) {
        return node(name, leases, Clock.systemUTC(), c -> c);
    }

    private TestServer node(String name, ParleyConfig.Leases leases, Clock clock,
                            java.util.function.UnaryOperator<ParleyConfig> tweak) {
        TestServer node = TestServer.start(dir.resolve(name), c -> tweak.apply(c.withStore(db.storeConfig())
                .withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8)).withDesk(DeskConfig.DISABLED)
                .withLeases(leases)), clock, hub.node());
        nodes.add(node);
        return node;
    }

    @Test
    void aDeposedOwnersNextAppendIsRefusedAndItsSocketsAreToldToReconnect() throws Exception {
        // A never renews within the test: it behaves like a node paused past its lease.
        TestServer a = node("a", new ParleyConfig.Leases(Duration.ofHours(2), Duration.ofHours(1)));
        TestServer b = node("b", ParleyConfig.Leases.DEFAULTS);
        WsClient onA = a.newSession(false);
        onA.replay();
        onA.join();
        onA.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
        onA.say("before the pause", "c-1");
        long echoed = onA.nextOfType("EVENT_TYPE_USER_MESSAGE").path("sequence").asLong();
        onA.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
        long epochOfA = epochOf(onA.sessionId());

        expireLease(onA.sessionId()); // A's lease ran out while it was paused ...
        assertThat(b.server().sessions().find(onA.sessionId()).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .as("... and B took it over").isPresent();
        onA.say("after the pause", "c-2");

        assertThat(onA.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(epochOf(onA.sessionId())).isEqualTo(epochOfA + 1);
        assertThat(storedWithClientEventId(onA.sessionId(), "c-2")).as("A's append was refused").isZero();
        assertThat(storedWithClientEventId(onA.sessionId(), "c-1")).isOne();
        assertThat(headOf(onA.sessionId())).as("nothing after what A had stored").isGreaterThan(echoed)
                .isEqualTo(maxSequence(onA.sessionId()));
    }

    @Test
    void aTakeoverCountsALeaseMoveOnTheNewOwnerAndADeposedActorOnTheOldOneInMetrics() throws Exception {
        TestServer a = node("a", new ParleyConfig.Leases(Duration.ofHours(2), Duration.ofHours(1)));
        TestServer b = node("b", ParleyConfig.Leases.DEFAULTS);
        WsClient onA = a.newSession(false);
        onA.replay();
        WsClient onB = onA.reconnect(b.baseUrl(), "0"); // B follows A's session
        onB.replay();
        onA.join();
        onB.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED"); // read by B from the store on A's doorbell
        assertThat(metric(b, "parley_cluster_refills_total")).isGreaterThanOrEqualTo(1);
        assertThat(metric(b, "parley_cluster_lease_moves_total")).isZero();
        assertThat(metric(a, "parley_cluster_deposed_total")).isZero();

        expireLease(onA.sessionId()); // A paused past its lease ...
        b.server().sessions().checkFollowers(); // ... B, with a socket, takes the session over
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(b, "parley_cluster_lease_moves_total") == 1);
        onA.say("after the pause", "c-1"); // A's next append is refused

        assertThat(onA.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(metric(a, "parley_cluster_deposed_total")).isEqualTo(1);
        assertThat(metric(a, "parley_cluster_lease_moves_total")).isZero();
    }

    private static double metric(TestServer node, String series) {
        String scrape = node.rest().get("/metrics").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void twoNodesServeOneSessionWithIdenticalGapFreeStreamsAndOneReplyPerUserMessage() throws Exception {
        TestServer a = node("a", ParleyConfig.Leases.DEFAULTS);
        TestServer b = node("b", ParleyConfig.Leases.DEFAULTS);
        WsClient onA = a.newSession(false); // A owns the session: its actor runs there
        onA.replay();
        WsClient onB = onA.reconnect(b.baseUrl(), "0"); // B follows it
        onB.replay();

        onB.join(); // forwarded to the owner
        onB.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
        onB.say("hello from b", "c-b");
        JsonNode echo = echoOf(onB, "c-b");
        onB.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
        onA.say("hello from a", "c-a");
        // A's socket still holds the join, c-b's echo and its reply, unread: wait for c-a's own echo
        // and the reply after it, so the resend below reaches the owner once that reply is stored.
        JsonNode echoOfA = echoOf(onA, "c-a");
        JsonNode replyToA = onA.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
        assertThat(replyToA.path("sequence").asLong()).isGreaterThan(echoOfA.path("sequence").asLong());
        onB.say("hello from b", "c-b"); // a resend: the original echo, to B's socket alone

        // Live on B: c-a's echo and its reply, stored before the resend was sent, so B's follower
        // sends them before the owner's answer (it reads the journal before passing an answer on).
        assertThat(onB.nextOfType("EVENT_TYPE_USER_MESSAGE").path("id").asText()).isEqualTo(echoOfA.path("id").asText());
        assertThat(onB.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE").path("id").asText())
                .isEqualTo(replyToA.path("id").asText());
        JsonNode resent = onB.nextOfType("EVENT_TYPE_USER_MESSAGE");
        long head = headOf(onA.sessionId());
        List<JsonNode> seenOnA = storedUpTo(onA.reconnect(a.baseUrl(), "0"), head);
        List<JsonNode> seenOnB = storedUpTo(onB.reconnect(b.baseUrl(), "0"), head);

        assertThat(echo.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("c-b");
        assertThat(resent.path("id").asText()).as("the original echo").isEqualTo(echo.path("id").asText());
        assertThat(resent.path("sequence").asLong()).isEqualTo(echo.path("sequence").asLong());
        assertThat(ids(seenOnB)).as("the same events in the same order on both nodes").isEqualTo(ids(seenOnA));
        assertGapFree(seenOnA, head);
        assertOneReplyPerUserMessage(seenOnA, 2);
        assertThat(storedWithClientEventId(onA.sessionId(), "c-b")).isOne();
    }

    @Test
    void whenTheOwnerDiesTheNodeWithTheSocketTakesTheSessionOverAndTheConversationGoesOnWithNothingLostOrDoubled()
            throws Exception {
        ParleyConfig.Leases shortLeases = new ParleyConfig.Leases(Duration.ofSeconds(2), Duration.ofMillis(500));
        TestServer a = node("a", shortLeases);
        TestServer b = node("b", shortLeases);
        WsClient onA = a.newSession(false);
        onA.replay();
        WsClient onB = onA.reconnect(b.baseUrl(), "0");
        onB.replay();
        onA.join();
        onB.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
        onB.say("before the crash", "c-1");
        onB.nextOfType("EVENT_TYPE_USER_MESSAGE");
        long seen = onB.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE").path("sequence").asLong();
        long epochOfA = epochOf(onA.sessionId());

        a.server().closeAbruptly(); // no 1012, no lease given up: B must wait for the lease to run out

        assertThat(onB.awaitClose()).as("B took over; its socket reconnects to the new actor")
                .isEqualTo(CloseCodes.SERVICE_RESTART);
        WsClient again = onB.reconnect(b.baseUrl(), String.valueOf(seen));
        assertThat(again.replay()).allSatisfy(e -> assertThat(e.path("sequence").asLong()).isGreaterThan(seen));
        again.say("after the crash", "c-2");
        again.nextOfType("EVENT_TYPE_USER_MESSAGE");
        again.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");

        long head = headOf(onA.sessionId());
        List<JsonNode> all = storedUpTo(again.reconnect(b.baseUrl(), "0"), head);
        assertThat(epochOf(onA.sessionId())).isEqualTo(epochOfA + 1);
        assertGapFree(all, head);
        assertOneReplyPerUserMessage(all, 2);
    }

    @Test
    void theDormantSweepOfANodeLeavesASessionOwnedByAnotherNodeToItsOwner() throws Exception {
        TestServer a = node("a", ParleyConfig.Leases.DEFAULTS);
        WsClient onA = a.newSession(false);
        onA.replay();
        onA.join();
        onA.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
        MutableClock clockOfB = new MutableClock(Instant.now());
        // B finds the session open at its start; for B it has been dormant since then.
        TestServer b = node("b", ParleyConfig.Leases.DEFAULTS, clockOfB,
                c -> c.withTimeouts(Duration.ofMinutes(1), Duration.ofMinutes(2)));
        clockOfB.advance(Duration.ofMinutes(3)); // past B's inactivity timeout

        b.server().sessions().sweep();
        // The sweep's wake-up of the session and this one share its load, or the sweep's ran first.
        assertThatThrownBy(() -> b.server().sessions().find(onA.sessionId()).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(OwnedElsewhereException.class);

        onA.say("still here", "c-1");
        onA.nextOfType("EVENT_TYPE_USER_MESSAGE");
        onA.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
        assertThat(longQuery("SELECT COUNT(*) FROM events WHERE session_id = ? AND type = 'SESSION_END'",
                onA.sessionId())).as("not ended by B").isZero();
    }

    // ---- reading streams ------------------------------------------------------------------------

    /** Every stored event a socket gets, replay and live, until it has {@code head}. */
    private static List<JsonNode> storedUpTo(WsClient ws, long head) {
        List<JsonNode> stored = new ArrayList<>();
        try (ws) {
            while (stored.isEmpty() || stored.get(stored.size() - 1).path("sequence").asLong() < head) {
                JsonNode frame = ws.next();
                if (frame.path("type").asText().equals("EVENT_TYPE_EVENT_BATCH")) {
                    frame.path("payload").path("events").forEach(stored::add);
                } else if (frame.path("sequence").isIntegralNumber()) {
                    stored.add(frame);
                }
            }
        }
        return stored;
    }

    /**
     * Skips frames until the echo of {@code clientEventId}. Every socket of a session gets every
     * stored event, so echoes of other sockets' messages may be waiting before it.
     */
    private static JsonNode echoOf(WsClient ws, String clientEventId) {
        while (true) {
            JsonNode echo = ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
            if (echo.path("metadata").path("custom").path("client_event_id").asText().equals(clientEventId)) {
                return echo;
            }
        }
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    private static void assertGapFree(List<JsonNode> events, long head) {
        assertThat(events).hasSize((int) head);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).path("sequence").asLong()).as("sequence at %d", i).isEqualTo(i + 1);
        }
        assertThat(ids(events)).doesNotHaveDuplicates();
    }

    /** After each user message exactly one agent message, before the next user message. */
    private static void assertOneReplyPerUserMessage(List<JsonNode> events, int userMessages) {
        List<String> turns = new ArrayList<>();
        boolean started = false;
        for (JsonNode e : events) {
            String type = e.path("type").asText();
            if (type.equals("EVENT_TYPE_USER_MESSAGE")) {
                started = true;
                turns.add("user");
            } else if (started && type.equals("EVENT_TYPE_POLY_AGENT_MESSAGE")) {
                turns.add("agent");
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < userMessages; i++) {
            expected.add("user");
            expected.add("agent");
        }
        assertThat(turns).as("turns in %s", events).isEqualTo(expected);
    }

    // ---- the database, as an operator would look at it -------------------------------------------

    private static void expireLease(String sessionId) throws SQLException {
        execute("UPDATE sessions SET lease_until = now() - interval '1 second' WHERE id = '" + sessionId + "'");
    }

    private static long epochOf(String sessionId) throws SQLException {
        return longQuery("SELECT owner_epoch FROM sessions WHERE id = ?", sessionId);
    }

    private static long headOf(String sessionId) throws SQLException {
        return longQuery("SELECT head_seq FROM sessions WHERE id = ?", sessionId);
    }

    private static long maxSequence(String sessionId) throws SQLException {
        return longQuery("SELECT MAX(seq) FROM events WHERE session_id = ?", sessionId);
    }

    private static long storedWithClientEventId(String sessionId, String clientEventId) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT COUNT(*) FROM events WHERE session_id = ? AND client_event_id = ?")) {
            ps.setString(1, sessionId);
            ps.setString(2, clientEventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long longQuery(String sql, String sessionId) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sessionId);
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
