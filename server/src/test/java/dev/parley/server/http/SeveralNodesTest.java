package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.session.CloseCodes;
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
        TestServer node = TestServer.start(dir.resolve(name), c -> c.withStore(db.storeConfig())
                .withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8)).withDesk(DeskConfig.DISABLED)
                .withLeases(leases), Clock.systemUTC(), hub.node());
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
