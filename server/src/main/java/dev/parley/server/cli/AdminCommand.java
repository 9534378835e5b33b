package dev.parley.server.cli;

import picocli.CommandLine.Command;

/** {@code parley admin}: operator tasks run against a data directory while the server may be down. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administer a Parley data directory.",
        subcommands = {ConnectorCommand.class, AgentCommand.class, ApiKeyCommand.class, SessionCommand.class,
                MigrateCommand.class, ExportCommand.class, ImportCommand.class, WebhookCommand.class,
                CannedCommand.class})
final class AdminCommand {
}
