package dev.parley.server.cli;

import dev.parley.server.agent.scripted.FlowException;
import dev.parley.server.config.ConfigException;
import dev.parley.server.config.ConfigLoader;
import java.security.SecureRandom;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code parley} executable. Exit codes: 0 success, 1 not found or failure, 2 usage or
 * configuration error (a bad flow file included).
 */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "parley 0.1.0",
        description = "Self-hostable real-time messaging server.",
        subcommands = {ServeCommand.class, AdminCommand.class})
public final class ParleyCommand {
    public static final int OK = 0;
    public static final int NOT_FOUND = 1;
    /** Anything else that went wrong at run time (the store could not be opened, the server failed...). */
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        CliContext context = new CliContext(dev.parley.server.StoreFactory::open, ConfigLoader.standard(), System.getenv(),
                Clock.systemUTC(), new SecureRandom());
        System.exit(commandLine(context).execute(args));
    }

    /** The command tree with its collaborators; tests call this with their own context. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new ParleyCommand(), new ContextFactory(context));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            // A bad flow file is a configuration error like any other: the same exit code.
            return e instanceof ConfigException || e instanceof FlowException ? USAGE : FAILURE;
        });
        return cli;
    }

    /** Hands the context to every command class that has a {@code (CliContext)} constructor. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
