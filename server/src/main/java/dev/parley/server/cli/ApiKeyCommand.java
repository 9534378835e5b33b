package dev.parley.server.cli;

import dev.parley.server.operator.OperatorKeyHasher;
import dev.parley.server.operator.OperatorKeys;
import dev.parley.server.store.ApiKey;
import dev.parley.server.store.ConnectorStore;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley admin api-key issue|list|revoke}: keys of the operator API (issue 14). A key is
 * printed once and stored only as a keyed hash; a running node accepts a new key, and refuses a
 * revoked one, within about a second.
 */
@Command(name = "api-key", mixinStandardHelpOptions = true, description = "Manage operator API keys.",
        subcommands = {ApiKeyCommand.Issue.class, ApiKeyCommand.ListAll.class, ApiKeyCommand.Revoke.class})
final class ApiKeyCommand {

    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue an operator API key and print it once.")
    static final class Issue extends ConnectorCommand.StoreTask {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who or what uses the key (shown in listings).")
        String name;

        Issue(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            if (name.isBlank() || name.length() > 100) {
                err.println("error: --name must be 1 to 100 characters");
                return ParleyCommand.USAGE;
            }
            // The running server's secret, so the server finds this key by the same keyed hash.
            OperatorKeys keys = new OperatorKeys(OperatorCli.operators(store), OperatorKeyHasher.forConfig(config),
                    context.clock());
            OperatorKeys.Issued issued = keys.issue(name.strip(), context.random());
            out.println("Issued operator API key " + issued.record().id() + " (" + issued.record().name() + ")");
            out.println("Key: " + issued.key());
            out.println("Copy the key now: it cannot be shown again (only its hash is stored).");
            return ParleyCommand.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List operator API keys (never the keys themselves).")
    static final class ListAll extends ConnectorCommand.StoreTask {
        private static final String ROW = "%-22s %-32s %-26s %s%n";

        ListAll(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            List<ApiKey> keys = OperatorCli.operators(store).listApiKeys();
            if (keys.isEmpty()) {
                out.println("No operator API keys.");
                return ParleyCommand.OK;
            }
            out.printf(ROW, "ID", "NAME", "CREATED", "REVOKED");
            for (ApiKey k : keys) {
                out.printf(ROW, k.id(), k.name(), k.createdAt(), k.revokedAt() == null ? "-" : k.revokedAt());
            }
            return ParleyCommand.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an operator API key.")
    static final class Revoke extends ConnectorCommand.StoreTask {
        @Parameters(paramLabel = "ID", description = "Key id, e.g. opk_...")
        String id;

        Revoke(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            var operators = OperatorCli.operators(store);
            var found = operators.listApiKeys().stream().filter(k -> k.id().equals(id)).findFirst();
            if (found.isEmpty()) {
                err.println("error: no operator API key with id " + id);
                return ParleyCommand.NOT_FOUND;
            }
            if (found.get().revoked() || !operators.revokeApiKey(id, context.clock().instant())) {
                out.println("Operator API key " + id + " was already revoked");
                return ParleyCommand.OK;
            }
            out.println("Revoked operator API key " + id + " (running nodes refuse it within about a second)");
            return ParleyCommand.OK;
        }
    }
}
