package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Internal notes across nodes: two real nodes on one embedded PostgreSQL and one in-process fan-out
 * hub (the stand-in for Redis). A note written through one node reaches the agent's desk socket on
 * the other, and the customer, whose session a third party owns, gets nothing.
 */
class DeskNotesAcrossNodesTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    private final InMemoryFanOut.Hub hub = new InMemoryFanOut.Hub();
    private final List<TestServer> nodes = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF to_regclass('sessions') IS NOT NULL THEN TRUNCATE sessions, live_agents CASCADE;"
                    + " UPDATE desk_leader SET leader_node = NULL, lease_until = NULL; END IF; END $$");
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        nodes.forEach(TestServer::close);
        hub.close();
    }

    private TestServer node(String name) {
        DeskConfig desk = new DeskConfig(true, List.of(QueueSettings.auto("support", Duration.ofMinutes(10))),
                Duration.ofMinutes(5), Duration.ofMinutes(5), null, null);
        TestServer node = TestServer.start(dir.resolve(name), c -> c.withStore(db.storeConfig())
                .withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8)).withDesk(desk)
                .withLeases(ParleyConfig.Leases.DEFAULTS), Clock.systemUTC(), hub.node());
        nodes.add(node);
        if (nodes.size() == 1) {
            try (PostgresStore store = PostgresStore.open(db.storeConfig())) {
                Passwords fast = new Passwords(4, new java.security.SecureRandom());
                for (DeskAgent agent : List.of(DeskTestNode.SARAH, DeskTestNode.TOM)) {
                    store.createAgent(agent, fast.hash(DeskTestNode.PASSWORD.toCharArray()));
                }
            }
        }
        return node;
    }

    @Test
    void aNoteWrittenThroughOneNodeReachesTheAgentsDeskSocketOnAnotherAndNeverTheCustomer() {
        TestServer a = node("a");
        TestServer b = node("b");
        DeskHttp onA = new DeskHttp(a.baseUrl());
        String token = onA.token("Sarah", DeskTestNode.PASSWORD);
        DeskClient sarahOnB = DeskClient.connect(b.baseUrl(), token);
        open.add(sarahOnB);
        sarahOnB.next("desk.snapshot");
        WsClient user = a.newSession(false);
        open.add(user);
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        String sessionId = sarahOnB.next("desk.assigned").path("conversation").path("session_id").asText();

        String body = Json.MAPPER.createObjectNode().put("text", "written on A, read on B (note-5512)").toString();
        assertThat(onA.call("POST", "/desk/api/conversations/" + sessionId + "/notes", token, body).statusCode())
                .isEqualTo(201);

        JsonNode pushed = sarahOnB.next("desk.note");
        assertThat(pushed.path("session_id").asText()).isEqualTo(sessionId);
        assertThat(pushed.path("note").path("text").asText()).isEqualTo("written on A, read on B (note-5512)");
        sarahOnB.send(DeskClient.command("desk.note").put("session_id", sessionId).put("text", "and on B"));
        assertThat(sarahOnB.next("desk.note").path("note").path("text").asText()).isEqualTo("and on B");
        JsonNode listed = DeskHttp.json(new DeskHttp(b.baseUrl()).call("GET",
                "/desk/api/conversations/" + sessionId + "/notes", token, null));
        assertThat(listed.path("notes")).hasSize(2);
        user.assertNoMoreEvents();
    }
}
