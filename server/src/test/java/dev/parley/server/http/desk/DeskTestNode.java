package dev.parley.server.http.desk;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.Passwords;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real node with the desk on ({@link ParleyServer}, random port) and two live agents created in
 * its store before it starts: Sarah (both queues) and Tom ({@code sales} only, so the demo flow's
 * {@code support} handoffs never go to him automatically). Passwords use a low bcrypt cost to keep
 * logins fast in tests. Public so the desk page's browser test ({@code DeskPageBrowserTest}) can run on it.
 */
public final class DeskTestNode implements AutoCloseable {
    public static final String PASSWORD = "parley-demo";
    static final DeskAgent SARAH = new DeskAgent("agt_sarah", ParleyServer.DEMO_CONNECTOR_ID, "Sarah",
            "https://example.com/sarah.png", List.of("support", "sales"), 3);
    static final DeskAgent TOM = new DeskAgent("agt_tom", ParleyServer.DEMO_CONNECTOR_ID, "Tom",
            null, List.of("sales"), 3);

    private final TestServer server;

    public DeskTestNode(Path dataDir) {
        DeskConfig desk = DeskConfig.DEFAULTS;
        DeskConfig noDemoAgent = new DeskConfig(true, desk.queues(), desk.requeueGrace(), desk.statusPeriod(), null, null);
        server = TestServer.start(dataDir, c -> c.withDesk(noDemoAgent));
        try (SqliteStore store = SqliteStore.open(dataDir)) {
            Passwords fast = new Passwords(4, new java.security.SecureRandom());
            for (DeskAgent agent : List.of(SARAH, TOM)) {
                if (store.findAgent(agent.id()).isEmpty()) {
                    store.createAgent(agent, fast.hash(PASSWORD.toCharArray()));
                }
            }
        }
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    Rest rest() {
        return server.rest();
    }

    DeskHttp desk() {
        return new DeskHttp(baseUrl());
    }

    /** The stored handoff record of a session, read from the node's own database. */
    Optional<HandoffRecord> handoff(String sessionId) {
        try (SqliteStore store = SqliteStore.open(server.dataDir())) {
            return store.openHandoffs().stream().filter(r -> r.sessionId().equals(sessionId)).findFirst();
        }
    }

    /** Access token + session + connected socket, like {@code TestServer.newSession}. */
    public WsClient newSession() {
        return server.newSession(false);
    }

    DeskClient connectDesk(String token) {
        return DeskClient.connect(baseUrl(), token);
    }

    @Override
    public void close() {
        server.close();
    }
}
