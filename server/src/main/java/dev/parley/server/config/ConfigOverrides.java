package dev.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The command-line flags that were given; {@code null} (or {@code false}) means "not given", so the
 * value from the environment, file or defaults stands.
 *
 * @param configFile the YAML file to read instead of {@code PARLEY_CONFIG} or {@code ./parley.yaml}
 * @param noDemoConnector true to run without the demo connector
 * @param noDesk true to run without the live-agent desk ({@code --no-desk})
 */
public record ConfigOverrides(
        Integer port,
        String bindAddress,
        Path dataDir,
        Path configFile,
        String demoConnectorToken,
        String demoConnectorHost,
        boolean noDemoConnector,
        Duration heartbeatInterval,
        Duration idleTimeout,
        Duration sessionInactivityTimeout,
        Path flowFile,
        boolean noDesk) {

    public static final ConfigOverrides NONE =
            new ConfigOverrides(null, null, null, null, null, null, false, null, null, null, null, false);

    /** Without {@code --no-desk}. */
    public ConfigOverrides(Integer port, String bindAddress, Path dataDir, Path configFile, String demoConnectorToken,
                           String demoConnectorHost, boolean noDemoConnector, Duration heartbeatInterval,
                           Duration idleTimeout, Duration sessionInactivityTimeout, Path flowFile) {
        this(port, bindAddress, dataDir, configFile, demoConnectorToken, demoConnectorHost, noDemoConnector,
                heartbeatInterval, idleTimeout, sessionInactivityTimeout, flowFile, false);
    }

    /** Only a data directory, as the {@code admin} commands take. */
    public static ConfigOverrides dataDirOnly(Path dataDir) {
        return new ConfigOverrides(null, null, dataDir, null, null, null, false, null, null, null, null, false);
    }
}
