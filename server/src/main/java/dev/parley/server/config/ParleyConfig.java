package dev.parley.server.config;

import dev.parley.protocol.Limits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a Parley node needs to start. Immutable; built by {@link ConfigLoader} from defaults,
 * {@code parley.yaml}, {@code PARLEY_*} environment variables and command-line flags, in that
 * order of increasing precedence (ARCHITECTURE.md rule 10).
 *
 * @param flowFile scripted-agent flow, {@code null} for the demo flow shipped in the jar
 * @param demoConnectorToken token of the demo connector, {@code null} for no demo connector
 * @param jwtSecret HS256 key for access tokens (from {@code PARLEY_JWT_SECRET}), {@code null} to
 *     load or create {@code <dataDir>/jwt.secret}; an array, so it never shows in {@code toString}
 * @param agents which AI agent answers which connector ({@code agents:}); the scripted agent's own
 *     settings stay {@code flowFile} and {@code streamChunkDelay} ({@code agent:})
 * @param store where sessions, the journal, connectors and the desk live ({@code store:}): SQLite by default
 * @param sessionIdleWarning how long before an inactive session ends as abandoned it is sent
 *     {@code EVENT_TYPE_SESSION_IDLE_WARNING} ({@code session_idle_warning_seconds}); zero sends none,
 *     and neither does a lead not shorter than the inactivity timeout
 * @param fanOut how nodes tell each other about new events ({@code fanout:}): in process by default, or Redis
 */
public record ParleyConfig(
        String bindAddress,
        int port,
        Path dataDir,
        String demoConnectorToken,
        String demoConnectorHost,
        Duration heartbeatInterval,
        Duration idleTimeout,
        Duration sessionInactivityTimeout,
        Duration sessionIdleWarning,
        Duration endedSessionRetention,
        Duration accessTokenLifetime,
        int maxConnectionsPerSession,
        int maxTextChars,
        RateLimit sessionMessageRate,
        RateLimit httpRate,
        Path flowFile,
        Duration streamChunkDelay,
        byte[] jwtSecret,
        DeskConfig desk,
        AgentsConfig agents,
        HandshakeFailureLimits handshakeFailures,
        HttpTimeouts httpTimeouts,
        Outbound outbound,
        Capacity capacity,
        StoreConfig store,
        FanOutConfig fanOut,
        Leases leases,
        dev.parley.server.webhooks.WebhookDeliverySettings webhooks) {

    /**
     * Session ownership leases of several nodes on one PostgreSQL ({@code store.lease_ttl_seconds},
     * {@code store.lease_renew_seconds}; issue 11): a node's lease of a session lasts {@code ttl}
     * after its last renewal, renewed every {@code renewPeriod}. A dead node's sessions move after
     * at most {@code ttl}. Unused with the embedded store.
     */
    public record Leases(Duration ttl, Duration renewPeriod) {
        public static final Leases DEFAULTS = new Leases(Duration.ofSeconds(10), Duration.ofSeconds(3));
    }

    /** A token bucket: {@code burst} events at once, refilled at {@code perSecond}. */
    public record RateLimit(double perSecond, int burst) {
    }

    /**
     * How many failed WebSocket handshakes (401, 404) a client address and an access token may have
     * before their handshakes get 429 ({@code rate_limits.handshake_failures_per_address} / {@code _per_token}).
     * The address budget is the larger one because many users may share an address behind a NAT.
     */
    public record HandshakeFailureLimits(RateLimit perAddress, RateLimit perToken) {
        public static final HandshakeFailureLimits DEFAULTS =
                new HandshakeFailureLimits(new RateLimit(1, 60), new RateLimit(1.0 / 6, 10));
    }

    /**
     * Read timeouts of plain HTTP connections (not of upgraded WebSockets, which have {@code idleTimeout}).
     *
     * @param request time a client has to send a whole request (headers and body): from the
     *     connection's opening for its first request, from the request's headers for its body
     * @param keepAliveIdle time a kept-alive connection may wait, after a response, for its next request
     */
    public record HttpTimeouts(Duration request, Duration keepAliveIdle) {
        public static final HttpTimeouts DEFAULTS = new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /**
     * Limits on frames queued for sockets that read slowly (issue 10; {@code outbound.*}).
     *
     * @param slowConsumerTimeout a socket with frames pending and none of them leaving for this long
     *     is closed with 1008 ({@code slow_consumer_timeout_seconds})
     * @param budgetBytes outbound bytes queued on the whole node ({@code budget_mb})
     * @param perSocketBytes outbound bytes queued for one socket ({@code per_socket_mb})
     */
    public record Outbound(Duration slowConsumerTimeout, long budgetBytes, long perSocketBytes) {
        public static final Outbound DEFAULTS = new Outbound(Duration.ofSeconds(30), 256L << 20, 16L << 20);
    }

    /**
     * How much a node takes on at once ({@code event_loops}, {@code journal_queue_capacity}).
     *
     * @param eventLoops Vert.x event loops, each with its own HTTP server on the shared port
     *     (default: one per core)
     * @param journalQueue appends (and session creations) that may wait for the journal's writer
     *     before new ones are refused as load
     */
    public record Capacity(int eventLoops, int journalQueue) {
        public static final Capacity DEFAULTS = new Capacity(Runtime.getRuntime().availableProcessors(), 50_000);
    }

    public static final String DEFAULT_DEMO_TOKEN = "parley-demo-token";

    public static final ParleyConfig DEFAULTS = new ParleyConfig(
            "127.0.0.1",
            8080,
            Path.of("data"),
            DEFAULT_DEMO_TOKEN,
            "localhost",
            Duration.ofSeconds(Limits.DEFAULT_HEARTBEAT_INTERVAL_SECONDS),
            Duration.ofMinutes(10),
            Duration.ofMinutes(10),
            Duration.ofSeconds(60),
            Duration.ofDays(30),
            Duration.ofHours(24),
            Limits.MAX_CONNECTIONS_PER_SESSION,
            Limits.MAX_TEXT_CHARS,
            new RateLimit(20, 60),
            new RateLimit(10, 30),
            null,
            Duration.ofMillis(40),
            null,
            DeskConfig.DEFAULTS,
            AgentsConfig.DEFAULTS,
            HandshakeFailureLimits.DEFAULTS,
            HttpTimeouts.DEFAULTS,
            Outbound.DEFAULTS,
            Capacity.DEFAULTS,
            StoreConfig.DEFAULTS,
            FanOutConfig.DEFAULTS,
            Leases.DEFAULTS,
            dev.parley.server.webhooks.WebhookDeliverySettings.DEFAULTS);

    public ParleyConfig withPort(int value) {
        return copy(s -> s.port = value);
    }

    public ParleyConfig withDataDir(Path value) {
        return copy(s -> s.dataDir = value);
    }

    public ParleyConfig withTimeouts(Duration idle, Duration inactivity) {
        return copy(s -> {
            s.idleTimeout = idle;
            s.sessionInactivityTimeout = inactivity;
        });
    }

    public ParleyConfig withSessionIdleWarning(Duration value) {
        return copy(s -> s.sessionIdleWarning = value);
    }

    public ParleyConfig withStreamChunkDelay(Duration value) {
        return copy(s -> s.streamChunkDelay = value);
    }

    public ParleyConfig withRates(RateLimit sessionMessages, RateLimit http) {
        return copy(s -> {
            s.sessionMessageRate = sessionMessages;
            s.httpRate = http;
        });
    }

    public ParleyConfig withHandshakeFailureLimits(RateLimit perAddress, RateLimit perToken) {
        return copy(s -> s.handshakeFailures = new HandshakeFailureLimits(perAddress, perToken));
    }

    public ParleyConfig withDesk(DeskConfig value) {
        return copy(s -> s.desk = value);
    }

    public ParleyConfig withAgents(AgentsConfig value) {
        return copy(s -> s.agents = value);
    }

    public ParleyConfig withFlowFile(Path value) {
        return copy(s -> s.flowFile = value);
    }

    public ParleyConfig withHttpTimeouts(HttpTimeouts value) {
        return copy(s -> s.httpTimeouts = value);
    }

    public ParleyConfig withOutbound(Outbound value) {
        return copy(s -> s.outbound = value);
    }

    public ParleyConfig withCapacity(Capacity value) {
        return copy(s -> s.capacity = value);
    }

    public ParleyConfig withAccessTokenLifetime(Duration value) {
        return copy(s -> s.accessTokenLifetime = value);
    }

    public ParleyConfig withStore(StoreConfig value) {
        return copy(s -> s.store = value);
    }

    public ParleyConfig withFanOut(FanOutConfig value) {
        return copy(s -> s.fanOut = value);
    }

    public ParleyConfig withLeases(Leases value) {
        return copy(s -> s.leases = value);
    }

    /** Outgoing webhook delivery (issue 14): attempts, back-off, timeout, concurrency ({@code webhooks:}). */
    public ParleyConfig withWebhooks(dev.parley.server.webhooks.WebhookDeliverySettings value) {
        return copy(s -> s.webhooks = value);
    }

    /** The HS256 key as {@code PARLEY_JWT_SECRET} would give it (nodes of one cluster share it). */
    public ParleyConfig withJwtSecret(byte[] value) {
        return copy(s -> s.jwtSecret = value == null ? null : value.clone());
    }

    /** A copy with some settings changed; one place knows the field list (Settings), not every wither. */
    /** The demo connector {@code serve} creates; a null or blank token means none. */
    public ParleyConfig withDemoConnector(String token, String host) {
        return copy(s -> {
            s.demoToken(token);
            s.demoConnectorHost = host;
        });
    }

    private ParleyConfig copy(java.util.function.Consumer<Settings> change) {
        Settings settings = new Settings(this);
        change.accept(settings);
        return settings.toConfig();
    }
}
