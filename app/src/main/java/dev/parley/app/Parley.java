package dev.parley.app;

import dev.parley.server.StoreFactory;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.PrintWriter;
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
        return commandLine(new ChatCommand());
    }

    /** The whole tree with {@code chat} reading and writing where the caller says (tests). */
    static CommandLine commandLine(BufferedReader chatIn, PrintWriter chatOut) {
        return commandLine(new ChatCommand(chatIn, chatOut));
    }

    private static CommandLine commandLine(ChatCommand chat) {
        CliContext context = new CliContext(StoreFactory::open, ConfigLoader.standard(), System.getenv(),
                Clock.systemUTC(), new SecureRandom());
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.addSubcommand("chat", chat);
        cli.addSubcommand("bench", new BenchCommand());
        return cli;
    }
}
