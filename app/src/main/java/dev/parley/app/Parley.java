package dev.parley.app;

import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.store.sqlite.SqliteStore;
import java.security.SecureRandom;
import java.time.Clock;
import picocli.CommandLine;

/**
 * The {@code parley} launcher: the server's commands ({@code serve}, {@code admin}) plus the
 * client-side ones built on the SDK. Lives in its own module so the server never depends on the
 * client (the client's tests depend on the server).
 */
public final class Parley {
    private Parley() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CliContext context = new CliContext(SqliteStore::open, ConfigLoader.standard(), System.getenv(),
                Clock.systemUTC(), new SecureRandom());
        return ParleyCommand.commandLine(context);
    }
}
