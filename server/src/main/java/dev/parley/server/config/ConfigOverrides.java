package dev.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The command-line flags that were given; {@code null} (or {@code false}) means "not given", so the
 * value from the environment, file or defaults stands.
 *
 * @param configFile the YAML file to read instead of {@code PARLEY_CONFIG} or {@code ./parley.yaml}
 * @param noDemoConnector true to run without the demo connector
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
        Path flowFile) {

    public static final ConfigOverrides NONE =
            new ConfigOverrides(null, null, null, null, null, null, false, null, null, null, null);

    /** Only a data directory, as the {@code admin} commands take. */
    public static ConfigOverrides dataDirOnly(Path dataDir) {
        return new ConfigOverrides(null, null, dataDir, null, null, null, false, null, null, null, null);
    }
}
