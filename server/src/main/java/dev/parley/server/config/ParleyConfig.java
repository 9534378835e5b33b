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
        AgentsConfig agents) {

    /** A token bucket: {@code burst} events at once, refilled at {@code perSecond}. */
    public record RateLimit(double perSecond, int burst) {
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
            AgentsConfig.DEFAULTS);

    public ParleyConfig withPort(int value) {
        return new ParleyConfig(bindAddress, value, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay, jwtSecret, desk, agents);
    }

    public ParleyConfig withDataDir(Path value) {
        return new ParleyConfig(bindAddress, port, value, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay, jwtSecret, desk, agents);
    }

    public ParleyConfig withTimeouts(Duration idle, Duration inactivity) {
        return new ParleyConfig(bindAddress, port, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idle, inactivity, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay, jwtSecret, desk, agents);
    }

    public ParleyConfig withStreamChunkDelay(Duration value) {
        return new ParleyConfig(bindAddress, port, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, value, jwtSecret, desk, agents);
    }

    public ParleyConfig withRates(RateLimit sessionMessages, RateLimit http) {
        return new ParleyConfig(bindAddress, port, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessages, http, flowFile, streamChunkDelay, jwtSecret, desk, agents);
    }

    public ParleyConfig withDesk(DeskConfig value) {
        return new ParleyConfig(bindAddress, port, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay, jwtSecret,
                value, agents);
    }

    public ParleyConfig withAgents(AgentsConfig value) {
        return new ParleyConfig(bindAddress, port, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay, jwtSecret,
                desk, value);
    }

    public ParleyConfig withFlowFile(Path value) {
        return new ParleyConfig(bindAddress, port, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, value, streamChunkDelay, jwtSecret,
                desk, agents);
    }

    public ParleyConfig withAccessTokenLifetime(Duration value) {
        return new ParleyConfig(bindAddress, port, dataDir, demoConnectorToken, demoConnectorHost, heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, endedSessionRetention, value,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay, jwtSecret, desk);
    }
}
