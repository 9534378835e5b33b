package dev.parley.server;

import dev.parley.protocol.codec.ClientEventDecoder;
import dev.parley.server.agent.Agent;
import dev.parley.server.metrics.MicrometerAgentMetrics;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.http.OutboundBudget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.ConnectorAuthenticator;
import dev.parley.server.auth.ConnectorCache;
import dev.parley.server.auth.ConnectorRevocations;
import dev.parley.server.auth.ConnectorTokenHasher;
import dev.parley.server.auth.ConnectorTokenMigration;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.ContextTokenVerifier;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.auth.TokenBucket;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.datadir.DataDirLock;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.desk.notes.DeskNotes;
import dev.parley.server.http.desk.NoteBroadcast;
import dev.parley.server.http.desk.NoteRoutes;
import dev.parley.server.fanout.RedisFanOut;
import dev.parley.server.health.NodeHealth;
import dev.parley.server.desk.Desk;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskLogin;
import dev.parley.server.desk.DeskPort;
import dev.parley.server.desk.DeskStore;
import dev.parley.server.desk.cluster.ClusterDesk;
import dev.parley.server.store.DeskLeadership;
import dev.parley.server.desk.DeskTokens;
import dev.parley.server.desk.LiveAgentDesk;
import dev.parley.server.desk.LoginLimits;
import dev.parley.server.desk.PasswordPool;
import dev.parley.server.desk.Passwords;
import dev.parley.server.http.HttpApi;
import dev.parley.server.limits.NodeLimits;
import dev.parley.server.limits.RedisLimits;
import dev.parley.server.http.operator.OperatorRoutes;
import dev.parley.server.operator.Erasure;
import dev.parley.server.operator.ErasureWatch;
import dev.parley.server.operator.LiveSessions;
import dev.parley.server.operator.OperatorKeyHasher;
import dev.parley.server.operator.OperatorKeys;
import dev.parley.server.operator.RetentionSweep;
import dev.parley.server.webhooks.WebhookDeliverySettings;
import dev.parley.server.webhooks.WebhookDispatcher;
import dev.parley.server.webhooks.WebhookSecrets;
import dev.parley.server.operator.Transcripts;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.auth.Strikes;
import dev.parley.server.http.desk.DeskGuards;
import dev.parley.server.http.HttpReadTimeouts;
import dev.parley.server.http.StopGate;
import dev.parley.server.http.desk.DeskRoutes;
import dev.parley.server.http.desk.LoginAuthenticator;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.session.SessionServices;
import dev.parley.server.session.SessionSettings;
import dev.parley.server.store.Connector;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.SessionLeases;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.time.ExecutorScheduler;
import dev.parley.server.time.Scheduler;
import dev.parley.server.http.HttpListener;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of a node by hand, in dependency order, and takes them
 * down in reverse. No container; reading this method tells what a node is made of.
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
    /** Stable id of the connector created from the demo flags. */
    public static final String DEMO_CONNECTOR_ID = "con_demo";
    /** Stable id of the demo live agent created with the demo connector. */
    public static final String DEMO_AGENT_ID = "agt_demo";
    /** Stable id and name of the demo supervisor created with the demo live agent (same password). */
    public static final String DEMO_SUPERVISOR_ID = "agt_demo_supervisor";
    public static final String DEMO_SUPERVISOR_NAME = "Maria";
    /** Most rate-limit buckets kept per limiter; beyond that the least recently used is dropped. */
    private static final int RATE_KEYS = 100_000;
    /** Wrong or missing operator API keys an address may send per minute before a minute's lockout (429). */
    private static final int OPERATOR_KEY_FAILURES = 10;
    /** How long a graceful stop waits for sessions to finish their queued work and close their sockets. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Within STOP_TIMEOUT, how long running AI agent turns may go on so their replies are journaled
     * and delivered before the 1012; a turn cut off after it is asked again by the next node.
     */
    private static final Duration AGENT_GRACE = Duration.ofSeconds(5);

    /** How often followers compare the journal's head with what their sockets have, and look at the owner's lease. */
    private static final Duration FOLLOWER_CHECK = Duration.ofSeconds(1);

    /** How often a node on PostgreSQL proves the store answers (for /readyz, and to notice it is back). */
    private static final Duration STORE_PROBE = Duration.ofSeconds(1);

    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private final SessionRegistry registry;
    /** The Desk on one node; on several nodes the desk is {@link #clusterDesk}, whose Desk runs on the leader only. */
    private final Optional<Desk> desk;
    private final Optional<ClusterDesk> clusterDesk;
    /** What desk sockets and routes talk to: the Desk, or the cluster desk. */
    private final Optional<DeskPort> deskPort;
    private final Optional<DeskLogin> deskLogin;
    private final int port;
    /** The cross-node doorbell ({@code fanout.kind}); closed after the sessions, before the store. */
    private final FanOut fanOut;

    /** Set by closeAbruptly before close; read by the close steps on the same thread. */
    private volatile boolean abrupt;

    private ParleyServer(ParleyConfig config, Clock clock, DataDirLock dataDirLock, Supplier<FanOut> fanOuts,
                         RedisLimits.Settings limitsSettings) {
        own(dataDirLock);
        // store.kind: the data directory's SQLite file, or PostgreSQL (the data directory stays locked either way).
        NodeStore store = own(StoreFactory.open(config));
        // fanout.kind: in process, or Redis (connects in the background; the node serves without it).
        fanOut = own(fanOuts.get());
        // Random per process: a restarted node is a new owner, and its former leases expire or are taken over.
        String nodeId = "node-" + Long.toHexString(new SecureRandom().nextLong());
        SessionLeases leases = store.leases(nodeId, config.leases().ttl());
        GroupCommitWriter journal = own(new GroupCommitWriter(store, config.capacity().journalQueue()));
        ExecutorService workers = Executors.newFixedThreadPool(
                Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), named("parley-session"));
        own(() -> shutdown(workers));
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(named("parley-timer"));
        own(() -> shutdown(timers));
        Scheduler scheduler = new ExecutorScheduler(timers);

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        own(meters::close);
        dev.parley.server.desk.TeamMeter teamMeter = new dev.parley.server.metrics.MicrometerTeamMeter(meters);
        // Outgoing HTTP of the agents (webhook, LLM): one client, its own small thread pool.
        ExecutorService agentHttp = Executors.newFixedThreadPool(2, named("parley-agent-http"));
        own(() -> shutdown(agentHttp));
        HttpClient agentClient = HttpClient.newBuilder().executor(agentHttp)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        Agent agent;
        try {
            agent = new AgentFactory(config, agentClient, scheduler, clock, new MicrometerAgentMetrics(meters)).build();
        } catch (RuntimeException e) {
            close(); // the store and threads opened so far
            throw e;
        }
        ParleyConfig.RateLimit rate = config.sessionMessageRate();
        SessionSettings settings = new SessionSettings(
                (int) config.heartbeatInterval().toSeconds(),
                config.idleTimeout(),
                config.sessionInactivityTimeout(),
                config.maxConnectionsPerSession(),
                256,
                config.sessionIdleWarning(),
                () -> {
                    TokenBucket bucket = new TokenBucket(rate.perSecond(), rate.burst(), clock);
                    return () -> bucket.tryAcquire().allowed();
                });
        // The desk and the registry need each other: sessions hand off to the desk, the desk commands
        // sessions. The desk is built first with a deferred ConversationControl, bound right after
        // the registry exists and before anything (recovery, timers, HTTP) can reach the desk.
        DeskConfig deskConfig = config.desk();
        DeferredConversationControl deskToSessions = new DeferredConversationControl();
        Optional<Desk> theDesk = Optional.empty();
        // The desk's serial thread, when there is a desk: erasure waits for it to handle a session's end.
        Optional<ExecutorService> deskThread = Optional.empty();
        Optional<ClusterDesk> theClusterDesk = Optional.empty();
        DeskPort port = null;
        LiveAgentDesk liveAgentDesk = null;
        if (deskConfig.enabled()) {
            ExecutorService deskExecutor = Executors.newSingleThreadExecutor(named("parley-desk"));
            own(() -> shutdown(deskExecutor));
            deskThread = Optional.of(deskExecutor);
            java.util.function.Function<DeskStore, Desk> newDesk = deskStore -> new Desk(deskConfig.queues(), deskStore,
                    deskToSessions, clock, deskExecutor, deskConfig.requeueGrace(), deskConfig.statusPeriod(), teamMeter);
            Optional<DeskLeadership> leadership = leases.multiNode()
                    ? store.deskLeadership(nodeId, config.leases().ttl()) : Optional.empty();
            if (leadership.isPresent()) {
                // Several nodes (issue 11): one leader runs the Desk, the others reach it over the fan-out.
                ClusterDesk cluster = new ClusterDesk(nodeId, leadership.get(), newDesk, fanOut, deskExecutor, scheduler,
                        config.leases().ttl(), System::nanoTime);
                theClusterDesk = Optional.of(cluster);
                port = cluster;
                liveAgentDesk = cluster;
            } else {
                Desk single = newDesk.apply(store);
                theDesk = Optional.of(single);
                port = single;
                liveAgentDesk = single;
            }
        }
        this.desk = theDesk;
        this.clusterDesk = theClusterDesk;
        this.deskPort = Optional.ofNullable(port);
        registry = new SessionRegistry(new SessionServices(journal, store, agent, clock, workers, settings,
                Optional.ofNullable(liveAgentDesk)), store, leases, fanOut, new ClientEventDecoder(config.maxTextChars()));
        if (leases.multiNode()) {
            // On the workers: one UPDATE for all leases, never on the timer thread; the desk leader's lease with them.
            scheduler.every(config.leases().renewPeriod(), () -> execute(workers, () -> {
                try {
                    registry.renewLeases();
                } finally {
                    clusterDesk.ifPresent(ClusterDesk::renew);
                }
            }));
            scheduler.every(FOLLOWER_CHECK, () -> execute(workers, registry::checkFollowers));
        }
        deskToSessions.bind(new SessionConversationControl(registry));
        ServerMetrics.bind(meters, registry, journal);
        OutboundBudget outbound = new OutboundBudget(config.outbound(), clock);
        ServerMetrics.bindOutbound(meters, outbound);
        if (fanOut instanceof RedisFanOut redis) {
            ServerMetrics.bindFanOut(meters, redis);
        }
        // Queued on the desk's serial executor first, so the desk knows its open handoffs before any
        // recovered session talks to it.
        desk.ifPresent(Desk::recover);
        clusterDesk.ifPresent(ClusterDesk::renew); // leads at once if nobody does (then recovers like a restart)
        registry.recoverOpenSessions();
        Optional<Runnable> deskTimers = desk.<Runnable>map(d -> d::tick).or(() -> clusterDesk.map(c -> c::tick));
        deskTimers.ifPresent(ticker -> scheduler.every(Duration.ofSeconds(1), () -> {
            try {
                ticker.run();
            } catch (RejectedExecutionException e) {
                // shutting down: the desk executor is already closed
            }
        }));
        scheduler.every(sweepPeriod(config), registry::sweep);
        scheduler.every(Duration.ofMillis(Math.min(1000, Math.max(50, config.outbound().slowConsumerTimeout().toMillis() / 10))),
                outbound::closeStalled);
        scheduler.every(Duration.ofHours(1), () -> workers.execute(() ->
                store.purgeEndedBefore(clock.instant().minus(config.endedSessionRetention()))));

        byte[] jwtSecret = JwtSecret.forConfig(config);
        ConnectorTokenHasher tokenHasher = ConnectorTokenHasher.fromServerSecret(jwtSecret);
        new ConnectorTokenMigration(store, tokenHasher).run();
        if (config.demoConnectorToken() != null) {
            store.upsertConnector(new Connector(DEMO_CONNECTOR_ID, tokenHasher.hash(config.demoConnectorToken()),
                    config.demoConnectorHost(), clock.instant(), null));
        }
        // Read once before listening (after the demo connector's upsert, which lifts its revocation),
        // then every second: a revoke by the CLI in another process is seen within about that long.
        ConnectorRevocations revocations = new ConnectorRevocations(store, clock, registry::closeConnectionsOf);
        revocations.refresh();
        scheduler.every(ConnectorRevocations.POLL_PERIOD, revocations::refresh);
        AccessTokens tokens = new AccessTokens(jwtSecret, config.accessTokenLifetime(), clock, new SecureRandom(),
                revocations);
        if (deskPort.isPresent()) {
            Passwords passwords = Passwords.production();
            deskLogin = Optional.of(new DeskLogin(store, passwords,
                    new DeskTokens(jwtSecret, DeskTokens.DEFAULT_LIFETIME, clock, new SecureRandom())));
            // One bcrypt hash for both demo accounts (same password): a start-up pays for one, not two.
            String[] demoHash = new String[1];
            java.util.function.Supplier<String> demoPassword = () -> demoHash[0] != null ? demoHash[0]
                    : (demoHash[0] = passwords.hash(deskConfig.demoAgentPassword().toCharArray()));
            if (config.demoConnectorToken() != null && deskConfig.demoAgentName() != null
                    && store.findAgentByName(deskConfig.demoAgentName()).isEmpty()
                    && store.findAgent(DEMO_AGENT_ID).isEmpty()) {
                DeskAgent demo = new DeskAgent(DEMO_AGENT_ID, DEMO_CONNECTOR_ID, deskConfig.demoAgentName(), null,
                        deskConfig.queues().stream().map(q -> q.name()).toList(), 3);
                try {
                    store.createAgent(demo, demoPassword.get());
                    LOG.info("created demo live agent {} for {}", demo.name(), DEMO_CONNECTOR_ID);
                } catch (RuntimeException e) {
                    // Nodes starting together on one database race for it: the one that lost finds it there.
                    if (store.findAgent(DEMO_AGENT_ID).isEmpty()) {
                        throw e;
                    }
                }
            }
            if (config.demoConnectorToken() != null && deskConfig.demoAgentName() != null
                    && store.findAgentByName(DEMO_SUPERVISOR_NAME).isEmpty()
                    && store.findAgent(DEMO_SUPERVISOR_ID).isEmpty()) {
                // The demo's supervisor: sees the whole team, watches, takes over and reassigns.
                DeskAgent supervisor = new DeskAgent(DEMO_SUPERVISOR_ID, DEMO_CONNECTOR_ID, DEMO_SUPERVISOR_NAME, null,
                        deskConfig.queues().stream().map(q -> q.name()).toList(), 3, DeskAgent.Role.SUPERVISOR);
                try {
                    store.createAgent(supervisor, demoPassword.get());
                    LOG.info("created demo supervisor {} for {}", supervisor.name(), DEMO_CONNECTOR_ID);
                } catch (RuntimeException e) {
                    if (store.findAgent(DEMO_SUPERVISOR_ID).isEmpty()) {
                        throw e;
                    }
                }
            }
        } else {
            deskLogin = Optional.empty();
        }
        // With the Redis fan-out the request limits count over all nodes, on the same Redis; each
        // keeps the node's own count as its fallback while Redis does not answer (issue 11).
        NodeLimits limits = config.fanOut().isRedis()
                ? NodeLimits.shared(config, deskConfig.login(), clock,
                        own(RedisLimits.connect(config.fanOut().url(), limitsSettings)))
                : NodeLimits.local(config, deskConfig.login(), clock);
        limits.redis().ifPresent(redis -> ServerMetrics.bindSharedLimits(meters, redis));
        scheduler.every(Duration.ofMinutes(1), limits::evictIdle);
        NodeHealth health = NodeHealth.none();
        if (config.store().isPostgres()) {
            // No echo without durability: the store is essential. Its verdict is the journal's last
            // commit or the probe run here every second (on a worker; one at a time), never a query per request.
            health = health.with(NodeHealth.Dependency.essential("store", "postgres", journal::reachable));
            scheduler.every(STORE_PROBE, () -> execute(workers, journal::probe));
        }
        if (fanOut instanceof RedisFanOut) {
            health = health.with(NodeHealth.Dependency.optional("fanout", "redis", fanOut::healthy));
        }
        HttpApi api = new HttpApi(new ConnectorAuthenticator(store, tokenHasher, clock,
                        new ConnectorCache(revocations, ConnectorCache.DEFAULT_CAPACITY)), tokens, registry,
                new ClientEventDecoder(config.maxTextChars()), limits.accessTokens(), limits.sessions(), limits.handshakes(),
                outbound)
                .withMetrics(meters::scrape)
                .withHealth(health)
                .withVerifiedContext(tokens, registry, new ContextTokenVerifier(store,
                        ContextKeySealer.fromServerSecret(jwtSecret, new java.security.SecureRandom()), clock), limits.sessions(), clock);
        // CSAT: rated over REST once a live agent's conversation ended; counted on this node's meters
        // and told to the desk, whose supervisors see recent averages per queue and agent.
        dev.parley.server.csat.CsatMetrics csatMetrics = new dev.parley.server.metrics.MicrometerCsatMetrics(meters);
        if (deskPort.isPresent()) {
            csatMetrics = csatMetrics.andThen(r -> deskPort.get().rated(r.queue(), r.agentId(), r.rating()));
        }
        api = api.withCsat(tokens, new dev.parley.server.csat.Csat(store.csat(), store,
                csatMetrics, clock, dev.parley.protocol.Ids::eventId),
                limits.sessions());
        api = api.withOperatorApi(operatorApi(store, registry, jwtSecret, clock, scheduler, workers, deskThread));
        // Outgoing webhooks (issue 14): every node works the shared outbox; a row is claimed by one node at a time.
        // Owned after the store, so it stops claiming before the store closes.
        own(webhookDispatcher(store, config.webhooks(), jwtSecret, clock, nodeId)).start();
        if (config.demoConnectorToken() != null) {
            api = api.withDemoConnector(config.demoConnectorToken(), config.demoConnectorHost());
        }
        if (deskPort.isPresent() && deskLogin.isPresent()) {
            // bcrypt only ever runs on its own small pool, so log-ins cannot delay sessions (docs/security.md).
            LoginLimits login = deskConfig.login();
            DeskGuards guards = new DeskGuards(limits.logins(),
                    own(new PasswordPool(login.bcryptThreads(), login.bcryptQueue())), limits.badDeskTokens());
            api = api.withDesk(new DeskRoutes(new LoginAuthenticator(deskLogin.get()), store::findAgent,
                    deskPort.get(), new dev.parley.server.desk.OfflineDesk(store, workers, clock), registry, store, store.operators(),
                    deskNotes(store, deskPort.get(), workers, clock), guards, outbound)
                    .withCannedReplies(new dev.parley.server.desk.canned.CannedReplies(store.cannedReplies(),
                    deskConfig.queues().stream().map(dev.parley.server.desk.QueueSettings::name)
                            .collect(java.util.stream.Collectors.toSet()), clock, new SecureRandom())));
        }

        int loops = config.capacity().eventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        own(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        StopGate gate = new StopGate(api.router(vertx));
        HttpServerOptions serverOptions = new HttpServerOptions()
                        .setHost(config.bindAddress())
                        .setPort(config.port())
                        .setMaxWebSocketFrameSize(dev.parley.protocol.Limits.MAX_MESSAGE_SIZE_BYTES)
                        .setMaxWebSocketMessageSize(dev.parley.protocol.Limits.MAX_MESSAGE_SIZE_BYTES)
                        // No WebSocket compression: Vert.x inflates a whole frame with no bound before the
                        // 128 KB limit applies, so 100 KB could become 100 MB on the event loop. A frame
                        // compressed anyway has RSV1 set and is refused with 1002 (FrameViolationCloser).
                        .setPerMessageWebSocketCompressionSupported(false)
                        .setPerFrameWebSocketCompressionSupported(false)
                        // HTTP/1.1 only: with h2c on, Vert.x sets a connection up only once its first request
                        // head is in, so HttpReadTimeouts could not time out a client trickling that head.
                        .setHttp2ClearTextEnabled(false);
        Handler<HttpConnection> timeouts = HttpReadTimeouts.forEachConnection(config.httpTimeouts());
        Handler<HttpConnection> onConnection = connection -> {
            ServerMetrics.connectionAccepted(meters);
            timeouts.handle(connection);
        };
        // Registered after Vert.x, so it runs before Vert.x closes any socket (which it does with 1000).
        HttpApi served = api;
        own(() -> stopGracefully(gate, served));
        try {
            this.port = listen(vertx, loops, serverOptions, onConnection, gate);
        } catch (Exception e) {
            close();
            if (addressInUse(e)) {
                throw new IllegalStateException("cannot listen on " + config.bindAddress() + ":" + config.port()
                        + ": address already in use; choose another port with --port PORT or PARLEY_PORT"
                        + " (port: in parley.yaml; 0 takes any free port)", e);
            }
            throw new IllegalStateException("cannot listen on " + config.bindAddress() + ":" + config.port() + ": "
                    + rootMessage(e), e);
        }
        // The command line prints the address once; this is for logs only.
        LOG.debug("Parley listening on http://{}:{} (data in {})", config.bindAddress(), port,
                config.store().isPostgres() ? config.store().url() : config.dataDir().toAbsolutePath());
    }

    private static boolean addressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Netty's native transport reports it as an IOException with this text, the JDK as a BindException.
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static WebhookDispatcher webhookDispatcher(NodeStore store, WebhookDeliverySettings settings, byte[] jwtSecret,
                                                       Clock clock, String nodeId) {
        WebhookSecrets secrets = new WebhookSecrets(ContextKeySealer.fromServerSecret(jwtSecret, new SecureRandom()));
        return new WebhookDispatcher(store.webhooks(), secrets, WebhookDispatcher.httpClient(settings), settings, clock,
                nodeId, new SecureRandom());
    }

    /**
     * The operator API (issue 14): keys re-read every second (a key issued or revoked by the CLI
     * counts within about that long), erasures elsewhere noticed as often, the retention sweep every
     * quarter of an hour on every node (idempotent, see {@link RetentionSweep}). Store work runs on
     * the workers, never on the timer thread.
     */
    private static OperatorRoutes operatorApi(NodeStore store, SessionRegistry registry, byte[] jwtSecret, Clock clock,
                                              Scheduler scheduler, ExecutorService workers,
                                              Optional<ExecutorService> deskThread) {
        OperatorStore operators = store.operators();
        LiveSessions live = new LiveSessions() {
            @Override
            public java.util.concurrent.CompletionStage<Void> endForErasure(String sessionId) {
                return registry.endForErasure(sessionId);
            }

            @Override
            public void dropErased(java.util.Set<String> sessionIds) {
                registry.dropErased(sessionIds);
            }
        };
        OperatorKeys keys = new OperatorKeys(operators, OperatorKeyHasher.fromServerSecret(jwtSecret), clock);
        keys.refresh(); // before the node listens
        scheduler.every(OperatorKeys.POLL_PERIOD, () -> execute(workers, keys::refresh));
        ErasureWatch watch = new ErasureWatch(operators, live, clock);
        scheduler.every(ErasureWatch.POLL_PERIOD, () -> execute(workers, watch::poll));
        RetentionSweep retention = new RetentionSweep(operators, live, clock);
        scheduler.every(RetentionSweep.PERIOD, () -> execute(workers, retention::run));
        Strikes<String> failures = new Strikes<>(OPERATOR_KEY_FAILURES, Duration.ofMinutes(1), Duration.ofMinutes(1),
                RATE_KEYS, clock);
        scheduler.every(Duration.ofMinutes(1), failures::evictIdle);
        java.util.function.Supplier<java.util.concurrent.CompletionStage<Void>> deskDrained = () -> deskThread
                .<java.util.concurrent.CompletionStage<Void>>map(t -> java.util.concurrent.CompletableFuture.runAsync(() -> { }, t))
                .orElse(java.util.concurrent.CompletableFuture.completedFuture(null));
        return new OperatorRoutes(keys, failures, operators, store, new Transcripts(operators, store, store, store.notes()),
                new Erasure(operators, live, deskDrained, clock, workers));
    }

    /**
     * One {@link HttpListener} per event loop, all on one port. Port 0 becomes -1: Vert.x gives
     * every server asking for the same negative port one shared random port, while servers asking
     * for 0 would each get their own.
     */
    private static int listen(Vertx vertx, int loops, HttpServerOptions options, Handler<HttpConnection> onConnection,
                              StopGate gate) throws Exception {
        HttpServerOptions shared = new HttpServerOptions(options).setPort(options.getPort() == 0 ? -1 : options.getPort());
        List<HttpListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        await(vertx.deployVerticle(() -> {
            HttpListener listener = new HttpListener(shared, onConnection, gate);
            listeners.add(listener);
            return listener;
        }, new DeploymentOptions().setInstances(loops)));
        int actual = listeners.get(0).actualPort();
        if (listeners.stream().anyMatch(l -> l.actualPort() != actual)) {
            throw new IllegalStateException("HTTP listeners ended on different ports");
        }
        return actual;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Starts a node with the system clock. */
    public static ParleyServer start(ParleyConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts a node on an injected clock (tests move time with it). */
    public static ParleyServer start(ParleyConfig config, Clock clock) {
        return start(config, clock, () -> FanOutFactory.open(config.fanOut()));
    }

    /**
     * Starts a node on an injected clock and fan-out: several nodes of one test share an
     * {@link InMemoryFanOut.Hub}. The node closes the fan-out when it stops.
     */
    public static ParleyServer start(ParleyConfig config, Clock clock, FanOut fanOut) {
        return start(config, clock, () -> fanOut);
    }

    /**
     * Starts a node on the fan-out given instead of the one {@code fanout.kind} names (tests: a node
     * of an in-process hub, or Redis with short timings); the node closes it when it stops.
     */
    public static ParleyServer start(ParleyConfig config, Clock clock, Supplier<FanOut> fanOuts) {
        return start(config, clock, fanOuts, RedisLimits.Settings.DEFAULTS);
    }

    /**
     * As above, with the timings of the limits shared through Redis when {@code fanout.kind} is redis
     * (tests make them forgiving of a loaded machine, or short).
     */
    public static ParleyServer start(ParleyConfig config, Clock clock, Supplier<FanOut> fanOuts,
                                     RedisLimits.Settings limitsSettings) {
        JwtSecret.requireSharedIfClustered(config); // before anything is opened
        // First of all: a second server on this directory is refused before it touches anything.
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        try {
            return new ParleyServer(config, clock, lock, fanOuts, limitsSettings);
        } catch (RuntimeException | Error e) {
            // Whatever else a failed start left open, the directory must be free for the next try.
            try {
                lock.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public SessionRegistry sessions() {
        return registry;
    }

    /** Internal notes on desk conversations: stored in the store, pushed to desk sockets over the fan-out. */
    private NoteRoutes deskNotes(NodeStore store, DeskPort desk, ExecutorService workers, Clock clock) {
        NoteBroadcast broadcast = new NoteBroadcast(fanOut);
        return new NoteRoutes(new DeskNotes(store.notes(), desk, workers, clock, DeskNotes.randomIds(new SecureRandom()),
                broadcast), broadcast);
    }

    /** The cross-node doorbell of this node (in process unless {@code fanout.kind} is redis). */
    public FanOut fanOut() {
        return fanOut;
    }

    /**
     * The live-agent desk running on this node: absent when {@code desk.enabled} is false, and on
     * several nodes while another node leads the desk.
     */
    public Optional<Desk> desk() {
        return desk.isPresent() ? desk : clusterDesk.flatMap(ClusterDesk::localDesk);
    }

    /** On several nodes with the desk on: who leads the desk, and this node's way to it (issue 11). */
    public Optional<ClusterDesk> clusterDesk() {
        return clusterDesk;
    }

    /** Live-agent log-in and desk-token checks, present whenever the desk is enabled (on every node). */
    public Optional<DeskLogin> deskLogin() {
        return deskLogin;
    }

    /**
     * Stops gracefully: refuses new requests, lets sessions journal and echo what they accepted,
     * closes every socket with 1012, then closes Vert.x, the threads, the journal (it drains) and
     * the store. The shutdown hook of {@code parley serve} calls this.
     */
    @Override
    public void close() {
        for (int i = closeInReverse.size() - 1; i >= 0; i--) {
            try {
                closeInReverse.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping", e);
            }
        }
        closeInReverse.clear();
    }

    /**
     * The first step of {@link #close}, before Vert.x, workers and store go: refuse new requests
     * (503), let every session finish what it accepted — journal commit, then echoes — and close its
     * sockets with 1012, then close the desk's sockets with 1012. What closes after this (Vert.x,
     * desk, timers, workers, journal, store, in that order) finds no session left that would write.
     */
    private void stopGracefully(StopGate gate, HttpApi api) throws InterruptedException {
        if (abrupt) {
            return; // as if killed: no 1012, no lease given up (tests of a dead owner)
        }
        gate.close();
        var sessionsClosed = registry.closeAllForRestart().toCompletableFuture();
        try {
            try {
                sessionsClosed.get(AGENT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.info("AI agent turns still running after {}; cutting them off (the next node asks again)", AGENT_GRACE);
                registry.endRestartGrace();
                sessionsClosed.get(STOP_TIMEOUT.minus(AGENT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            LOG.warn("sessions did not finish their work within {}; closing their sockets now", STOP_TIMEOUT);
            registry.closeNowForRestart();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("error while closing sessions", e.getCause());
        }
        try {
            registry.releaseLeases(); // the nodes the clients reconnect to take the sessions over at once
        } catch (RuntimeException e) {
            LOG.warn("could not give the session leases up; they expire by themselves", e);
        }
        api.closeDeskSocketsForRestart();
        clusterDesk.ifPresent(ClusterDesk::release); // another node leads the desk at once
    }

    /**
     * Stops like a killed process would, as far as a test in one JVM can: no graceful step, no
     * 1012, leases left to expire; sockets just drop when Vert.x goes.
     */
    public void closeAbruptly() {
        abrupt = true;
        close();
    }

    private static void execute(ExecutorService executor, Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // The store down (a renewal, a probe, a head check): the next period tries again.
                    LOG.warn("periodic task failed: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        closeInReverse.add(resource);
        return resource;
    }

    private static Duration sweepPeriod(ParleyConfig config) {
        Duration shortest = config.idleTimeout().compareTo(config.sessionInactivityTimeout()) < 0
                ? config.idleTimeout() : config.sessionInactivityTimeout();
        Duration tenth = shortest.dividedBy(10);
        Duration min = Duration.ofMillis(50);
        Duration max = Duration.ofSeconds(5);
        return tenth.compareTo(min) < 0 ? min : tenth.compareTo(max) > 0 ? max : tenth;
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
