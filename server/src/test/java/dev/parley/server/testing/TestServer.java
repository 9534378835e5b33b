package dev.parley.server.testing;

import dev.parley.server.ParleyServer;
import dev.parley.server.auth.ConnectorTokenHasher;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.limits.RedisLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real Parley node on a random port with its own data directory, for tests that use sockets. */
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
        ParleyConfig config = tweak.apply(ParleyConfig.DEFAULTS.withPort(0).withDataDir(dataDir)
                .withStreamChunkDelay(Duration.ZERO));
        return new TestServer(ParleyServer.start(config, clock, () -> fanOut, limits), config);
    }

    public ParleyServer server() {
        return server;
    }

    public Path dataDir() {
        return config.dataDir();
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
