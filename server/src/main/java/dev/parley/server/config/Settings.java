package dev.parley.server.config;

import dev.parley.server.config.ParleyConfig.RateLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The mutable scratch pad of {@link ConfigLoader}: starts from {@link ParleyConfig#DEFAULTS}, each
 * source overwrites what it sets, then {@link #validate()} and {@link #toConfig()}. Confined to the
 * loading thread.
 */
final class Settings {
    /** HS256 needs at least 256 bits of key. */
    static final int MIN_JWT_SECRET_BYTES = 32;

    String bindAddress;
    int port;
    Path dataDir;
    String demoConnectorToken;
    String demoConnectorHost;
    Duration heartbeatInterval;
    Duration idleTimeout;
    Duration sessionInactivityTimeout;
    Duration endedSessionRetention;
    Duration accessTokenLifetime;
    int maxConnectionsPerSession;
    int maxTextChars;
    RateLimit sessionMessageRate;
    RateLimit httpRate;
    Path flowFile;
    Duration streamChunkDelay;
    byte[] jwtSecret;
    DeskConfig desk;

    Settings(ParleyConfig c) {
        bindAddress = c.bindAddress();
        port = c.port();
        dataDir = c.dataDir();
        demoConnectorToken = c.demoConnectorToken();
        demoConnectorHost = c.demoConnectorHost();
        heartbeatInterval = c.heartbeatInterval();
        idleTimeout = c.idleTimeout();
        sessionInactivityTimeout = c.sessionInactivityTimeout();
        endedSessionRetention = c.endedSessionRetention();
        accessTokenLifetime = c.accessTokenLifetime();
        maxConnectionsPerSession = c.maxConnectionsPerSession();
        maxTextChars = c.maxTextChars();
        sessionMessageRate = c.sessionMessageRate();
        httpRate = c.httpRate();
        flowFile = c.flowFile();
        streamChunkDelay = c.streamChunkDelay();
        jwtSecret = c.jwtSecret();
        desk = c.desk();
    }

    /** An empty demo token means "no demo connector" in every source. */
    void demoToken(String token) {
        demoConnectorToken = token == null || token.isBlank() ? null : token.strip();
    }

    void deskEnabled(boolean enabled) {
        desk = new DeskConfig(enabled, desk.queues(), desk.requeueGrace(), desk.statusPeriod(),
                desk.demoAgentName(), desk.demoAgentPassword());
    }

    void validate() {
        check(port >= 0 && port <= 65_535, "port must be between 0 and 65535 (0 picks a free port), got " + port);
        check(bindAddress != null && !bindAddress.isBlank(), "bind address must not be empty");
        positive(heartbeatInterval, "heartbeat interval");
        positive(idleTimeout, "idle timeout");
        positive(sessionInactivityTimeout, "session inactivity timeout");
        positive(endedSessionRetention, "ended session retention");
        check(accessTokenLifetime.toSeconds() >= 1, "access token lifetime must be at least 1 second");
        check(!streamChunkDelay.isNegative(), "stream chunk delay must not be negative");
        check(maxConnectionsPerSession >= 1, "max_connections_per_session must be at least 1");
        check(maxTextChars >= 1, "max_text_chars must be at least 1");
        rate(sessionMessageRate, "rate_limits.session_messages");
        rate(httpRate, "rate_limits.http");
        check(demoConnectorToken == null || (demoConnectorHost != null && !demoConnectorHost.isBlank()),
                "the demo connector needs a host (demo_connector.host / PARLEY_DEMO_CONNECTOR_HOST)");
        check(flowFile == null || Files.isRegularFile(flowFile), "flow file not found: " + flowFile);
        check(jwtSecret == null || jwtSecret.length >= MIN_JWT_SECRET_BYTES,
                "PARLEY_JWT_SECRET must be at least " + MIN_JWT_SECRET_BYTES + " bytes (256 bits)");
        validateDesk();
    }

    private void validateDesk() {
        positive(desk.requeueGrace(), "desk.requeue_grace_seconds");
        positive(desk.statusPeriod(), "desk.status_period_seconds");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (dev.parley.server.desk.QueueSettings q : desk.queues()) {
            check(q.name() != null && !q.name().isBlank(), "desk.queues: every queue needs a name");
            check(q.name().matches("[A-Za-z0-9_.-]+"),
                    "desk.queues: queue name '" + q.name() + "' may only use letters, digits, '_', '.' and '-'");
            check(names.add(q.name()), "desk.queues: duplicate queue name '" + q.name() + "'");
            positive(q.maxWait(), "desk.queues." + q.name() + ".max_wait_seconds");
        }
        check(!desk.enabled() || !desk.queues().isEmpty(), "desk.queues: the desk is enabled but has no queue");
        check(desk.demoAgentName() == null || (desk.demoAgentPassword() != null && !desk.demoAgentPassword().isEmpty()),
                "desk.demo_agent.password must be set when desk.demo_agent.name is");
    }

    ParleyConfig toConfig() {
        return new ParleyConfig(bindAddress.strip(), port, dataDir, demoConnectorToken,
                demoConnectorToken == null ? demoConnectorHost : demoConnectorHost.strip(), heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay,
                jwtSecret, desk);
    }

    private static void positive(Duration value, String name) {
        check(value != null && !value.isNegative() && !value.isZero(), name + " must be positive, got " + value);
    }

    private static void rate(RateLimit rate, String name) {
        check(rate.perSecond() > 0 && !Double.isInfinite(rate.perSecond()), name + ".per_second must be positive");
        check(rate.burst() >= 1, name + ".burst must be at least 1");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }
}
