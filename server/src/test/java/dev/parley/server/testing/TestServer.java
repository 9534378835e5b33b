package dev.parley.server.testing;

import dev.parley.server.ParleyServer;
import dev.parley.server.StoreFactory;
import dev.parley.server.auth.ConnectorTokenHasher;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.limits.RedisLimits;
import dev.parley.server.store.NodeStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real Parley node on a random port with its own data directory, for tests that use sockets. Its
 * store is the embedded one, or its data directory's PostgreSQL database when the run asks for
 * PostgreSQL ({@link TestStores}) and the test did not choose a store itself.
 */
public final class TestServer implements AutoCloseable {
    public static final String TOKEN = ParleyConfig.DEFAULT_DEMO_TOKEN;
    public static final String HOST = "localhost";

    private final ParleyServer server;
    private final ParleyConfig config;

    private TestServer(ParleyServer server, ParleyConfig config) {
        this.server = server;
        this.config = config;
    }

    /** Defaults, except port 0 and no artificial delay between streamed chunks. */
    public static TestServer start(Path dataDir) {
        return start(dataDir, c -> c);
    }

    public static TestServer start(Path dataDir, UnaryOperator<ParleyConfig> tweak) {
        return start(dataDir, tweak, Clock.systemUTC());
    }

    public static TestServer start(Path dataDir, UnaryOperator<ParleyConfig> tweak, Clock clock) {
        return start(dataDir, tweak, clock, InMemoryFanOut.standalone());
    }

    /** One node of several in this JVM: they share a store (in the tweak) and the fan-out's hub. */
    public static TestServer start(Path dataDir, UnaryOperator<ParleyConfig> tweak, Clock clock, FanOut fanOut) {
        return start(dataDir, tweak, clock, fanOut, RedisLimits.Settings.DEFAULTS);
    }

    /** As above, with the timings of the limits shared through Redis (when the tweak sets a Redis fan-out). */
    public static TestServer start(Path dataDir, UnaryOperator<ParleyConfig> tweak, Clock clock, FanOut fanOut,
                                   RedisLimits.Settings limits) {
        ParleyConfig config = TestStores.apply(tweak.apply(ParleyConfig.DEFAULTS.withPort(0).withDataDir(dataDir)
                .withStreamChunkDelay(Duration.ZERO)));
        return new TestServer(ParleyServer.start(config, clock, () -> fanOut, limits), config);
    }

    public ParleyServer server() {
        return server;
    }

    /** The configuration the node runs with (its secret, store and data directory), for tests that seed keys. */
    public ParleyConfig config() {
        return config;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** The node's store opened a second time, as the admin CLI would, to seed or inspect its data. */
    public NodeStore openStore() {
        return StoreFactory.open(config);
    }

    /**
     * A plain JDBC connection to the node's database, on either store, for tests that break or
     * inspect it behind the node's back. SQLite waits up to 5 s for the node's own writer.
     */
    public java.sql.Connection jdbc() throws java.sql.SQLException {
        if (config.store().isPostgres()) {
            return java.sql.DriverManager.getConnection(config.store().url(), config.store().user(), null);
        }
        java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + config.dataDir().resolve("parley.db").toAbsolutePath());
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        }
        return c;
    }

    /** The store this node runs on (the embedded one, or PostgreSQL in a {@link TestStores} PostgreSQL run). */
    public StoreConfig store() {
        return config.store();
    }

    /** What this server stores for a connector token (its keyed hash), for tests that add connectors. */
    public String connectorTokenHash(String token) {
        return ConnectorTokenHasher.forConfig(config).hash(token);
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Rest rest() {
        return new Rest(baseUrl());
    }

    /** Access token + session + connected socket, the usual start of a test. */
    public WsClient newSession(boolean streaming) {
        Rest rest = rest();
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, streaming);
        return WsClient.connect(baseUrl(), sessionId, token, null);
    }

    @Override
    public void close() {
        server.close();
    }
}
