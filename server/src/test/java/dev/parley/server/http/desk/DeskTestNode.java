package dev.parley.server.http.desk;

import dev.parley.protocol.Limits;
import dev.parley.protocol.codec.ClientEventDecoder;
import dev.parley.server.DeskTestWiring;
import dev.parley.server.ParleyServer;
import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.ScriptedAgent;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.ConnectorAuthenticator;
import dev.parley.server.auth.ConnectorTokens;
import dev.parley.server.auth.RateLimiter;
import dev.parley.server.auth.TokenBucket;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.desk.Desk;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.EnqueueResult;
import dev.parley.server.desk.LiveAgentDesk;
import dev.parley.server.http.HttpApi;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.session.SessionServices;
import dev.parley.server.session.SessionSettings;
import dev.parley.server.store.Connector;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real node with the desk on, built the way {@code ParleyServer} builds one (until it wires the
 * desk itself): SQLite journal, scripted demo agent, session registry, the production
 * conversation control, a real {@link Desk}, {@link HttpApi} with {@link DeskRoutes}, Vert.x on a
 * random port. Only the desk's accounts (in memory) and its login (a stub) are stand-ins.
 */
final class DeskTestNode implements AutoCloseable {
    static final String PASSWORD = "parley-demo";
    static final DeskAgent SARAH = new DeskAgent("agt_sarah", ParleyServer.DEMO_CONNECTOR_ID, "Sarah",
            "https://example.com/sarah.png", List.of("support", "sales"), 3);
    /** Serves only {@code sales}: never auto-assigned the demo flow's {@code support} handoffs. */
    static final DeskAgent TOM = new DeskAgent("agt_tom", ParleyServer.DEMO_CONNECTOR_ID, "Tom",
            null, List.of("sales"), 3);

    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private final InMemoryDeskStore deskStore = new InMemoryDeskStore();
    private final int port;

    DeskTestNode(Path dataDir) {
        Clock clock = Clock.systemUTC();
        ParleyConfig config = ParleyConfig.DEFAULTS.withPort(0).withDataDir(dataDir).withStreamChunkDelay(Duration.ZERO);
        SqliteStore store = own(SqliteStore.open(dataDir));
        GroupCommitWriter journal = own(new GroupCommitWriter(store, 50_000));
        ExecutorService workers = Executors.newFixedThreadPool(4);
        own(workers::shutdownNow);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        own(timers::shutdownNow);
        ExecutorService deskThread = Executors.newSingleThreadExecutor();
        own(deskThread::shutdownNow);

        ParleyConfig.RateLimit rate = config.sessionMessageRate();
        SessionSettings settings = new SessionSettings((int) config.heartbeatInterval().toSeconds(), config.idleTimeout(),
                config.sessionInactivityTimeout(), config.maxConnectionsPerSession(), 256, () -> {
                    TokenBucket bucket = new TokenBucket(rate.perSecond(), rate.burst(), clock);
                    return () -> bucket.tryAcquire().allowed();
                });
        AtomicReference<Desk> deskRef = new AtomicReference<>();
        LiveAgentDesk lateDesk = new LiveAgentDesk() { // the desk needs the registry, the registry the desk
            @Override
            public CompletionStage<EnqueueResult> enqueue(String sessionId, String connectorId, String queue) {
                return deskRef.get().enqueue(sessionId, connectorId, queue);
            }

            @Override
            public void sessionEnded(String sessionId) {
                deskRef.get().sessionEnded(sessionId);
            }
        };
        ScriptedAgent agent = new ScriptedAgent(FlowLoader.demo(), new dev.parley.server.time.ExecutorScheduler(timers),
                Duration.ZERO);
        SessionRegistry registry = new SessionRegistry(
                new SessionServices(journal, store, agent, clock, workers, settings, Optional.of(lateDesk)), store);
        DeskConfig deskConfig = DeskConfig.DEFAULTS;
        Desk desk = new Desk(deskConfig.queues(), deskStore, DeskTestWiring.conversations(registry), clock, deskThread,
                deskConfig.requeueGrace(), deskConfig.statusPeriod());
        deskRef.set(desk);
        deskStore.createAgent(SARAH, PASSWORD);
        deskStore.createAgent(TOM, PASSWORD);

        store.upsertConnector(new Connector(ParleyServer.DEMO_CONNECTOR_ID, ConnectorTokens.hash(TestServer.TOKEN),
                TestServer.HOST, clock.instant(), null));
        AccessTokens tokens = new AccessTokens("s".repeat(32).getBytes(java.nio.charset.StandardCharsets.UTF_8), config.accessTokenLifetime(), clock, new SecureRandom());
        RateLimiter<String> limiter = new RateLimiter<>(1000, 1000, 1000, clock);
        StubDeskAuthenticator auth = new StubDeskAuthenticator(deskStore);
        HttpApi api = new HttpApi(new ConnectorAuthenticator(store, clock), tokens, registry,
                new ClientEventDecoder(config.maxTextChars()), limiter, limiter)
                .withDesk(new DeskRoutes(auth, auth, desk, registry, store));

        Vertx vertx = Vertx.vertx();
        own(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        try {
            port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                            .setMaxWebSocketFrameSize(Limits.MAX_MESSAGE_SIZE_BYTES)
                            .setMaxWebSocketMessageSize(Limits.MAX_MESSAGE_SIZE_BYTES))
                    .requestHandler(api.router(vertx))
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            close();
            throw new IllegalStateException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Rest rest() {
        return new Rest(baseUrl());
    }

    DeskHttp desk() {
        return new DeskHttp(baseUrl());
    }

    InMemoryDeskStore deskStore() {
        return deskStore;
    }

    /** Access token + session + connected socket, like {@code TestServer.newSession}. */
    WsClient newSession() {
        Rest rest = rest();
        String token = rest.accessToken();
        return WsClient.connect(baseUrl(), rest.createSession(token, false), token, null);
    }

    DeskClient connectDesk(String token) {
        return DeskClient.connect(baseUrl(), token);
    }

    @Override
    public void close() {
        for (int i = closeInReverse.size() - 1; i >= 0; i--) {
            try {
                closeInReverse.get(i).close();
            } catch (Exception e) {
                // best effort, like ParleyServer.close
            }
        }
        closeInReverse.clear();
    }

    private <T extends AutoCloseable> T own(T resource) {
        closeInReverse.add(resource);
        return resource;
    }
}
