package dev.parley.server.cli;

import dev.parley.server.config.ConfigLoader;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * What the commands need from the outside world, passed in so tests can supply their own.
 *
 * @param env the environment ({@code System.getenv()} in production)
 */
public record CliContext(StoreOpener<?> storeOpener, ConfigLoader configLoader, Map<String, String> env,
        Clock clock, SecureRandom random) {
}
