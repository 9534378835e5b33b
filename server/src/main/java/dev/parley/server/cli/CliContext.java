package dev.parley.server.cli;

import dev.parley.server.config.ConfigLoader;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * What the commands need from the outside world, passed in so tests can supply their own.
 *
 * @param env the environment ({@code System.getenv()} in production)
 * @param stdin where {@code --password-stdin} (and passwords without a console) are read from
 * @param bcryptCost cost of the live-agent password hashes (12 in production, 4 in tests)
 */
public record CliContext(StoreOpener<?> storeOpener, ConfigLoader configLoader, Map<String, String> env,
        Clock clock, SecureRandom random, InputStream stdin, int bcryptCost) {

    /** Production input ({@code System.in}) and cost. */
    public CliContext(StoreOpener<?> storeOpener, ConfigLoader configLoader, Map<String, String> env, Clock clock,
                      SecureRandom random) {
        this(storeOpener, configLoader, env, clock, random, System.in, dev.parley.server.desk.Passwords.PRODUCTION_COST);
    }
}
