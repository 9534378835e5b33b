package dev.parley.server.http.desk;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.Passwords;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real node with the desk on ({@link ParleyServer}, random port) and two live agents created in
 * its store before it starts: Sarah (both queues) and Tom ({@code sales} only, so the demo flow's
 * {@code support} handoffs never go to him automatically). Passwords use a low bcrypt cost to keep
 * logins fast in tests.
 */
public final class DeskTestNode implements AutoCloseable {
    public static final String PASSWORD = "parley-demo";
    static final DeskAgent SARAH = new DeskAgent("agt_sarah", ParleyServer.DEMO_CONNECTOR_ID, "Sarah",
            "https://example.com/sarah.png", List.of("support", "sales"), 3);
    static final DeskAgent TOM = new DeskAgent("agt_tom", ParleyServer.DEMO_CONNECTOR_ID, "Tom",
            null, List.of("sales"), 3);

    private final TestServer server;

    public DeskTestNode(Path dataDir) {
        this(dataDir, withoutDemoAgent(DeskConfig.DEFAULTS), null, List.of());
    }

    /**
     * A node with {@code desk} (its demo agent should be off), the scripted flow {@code flowFile}
     * ({@code null} for the demo flow), and Sarah, Tom and {@code moreAgents} in its store.
     */
    DeskTestNode(Path dataDir, DeskConfig desk, Path flowFile, List<DeskAgent> moreAgents) {
        this(dataDir, desk, flowFile, moreAgents, java.time.Clock.systemUTC());
    }

    /** As above, on an injected clock (tests move time with it). */
    DeskTestNode(Path dataDir, DeskConfig desk, Path flowFile, List<DeskAgent> moreAgents, java.time.Clock clock) {
        this(dataDir, desk, flowFile, moreAgents, clock, c -> c);
    }

    /** As above, with other settings changed by {@code tweak}. */
    DeskTestNode(Path dataDir, DeskConfig desk, Path flowFile, List<DeskAgent> moreAgents, java.time.Clock clock,
                 java.util.function.UnaryOperator<ParleyConfig> tweak) {
        server = TestServer.start(dataDir, c -> tweak.apply(withFlowFile(c.withDesk(desk), flowFile)), clock);
        try (NodeStore store = TestStores.open(dataDir)) {
            Passwords fast = new Passwords(4, new java.security.SecureRandom());
            List<DeskAgent> all = new java.util.ArrayList<>(List.of(SARAH, TOM));
            all.addAll(moreAgents);
            for (DeskAgent agent : all) {
                if (store.findAgent(agent.id()).isEmpty()) {
                    store.createAgent(agent, fast.hash(PASSWORD.toCharArray()));
                }
            }
        }
    }

    static DeskConfig withoutDemoAgent(DeskConfig desk) {
        return new DeskConfig(desk.enabled(), desk.queues(), desk.requeueGrace(), desk.statusPeriod(), null, null, desk.login());
    }

    private static ParleyConfig withFlowFile(ParleyConfig c, Path flowFile) {
        return flowFile == null ? c : c.withFlowFile(flowFile);
    }

    TestServer server() {
        return server;
    }

    /** Logs {@code name} in and opens a desk socket, reading its first snapshot. */
    DeskClient connectAgent(String name) {
        DeskClient client = connectDesk(desk().token(name, PASSWORD));
        return client;
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
        try (NodeStore store = TestStores.open(server.dataDir())) {
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
