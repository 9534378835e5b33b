package dev.parley.server.cli;

import dev.parley.server.auth.ConnectorTokenHasher;
import dev.parley.server.auth.ConnectorTokens;
import dev.parley.server.auth.HostMatcher;
import dev.parley.server.config.ConfigOverrides;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ConnectorStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley admin connector create|list|revoke|context-key}. Tokens are printed once and stored only as hashes. */
@Command(name = "connector", mixinStandardHelpOptions = true, description = "Manage connectors.",
        subcommands = {ConnectorCommand.Create.class, ConnectorCommand.ListAll.class, ConnectorCommand.Revoke.class,
                ContextKeyCommand.class, RetentionCommand.class})
final class ConnectorCommand {

    /** Shared by the subcommands: the data directory and access to the store in it. */
    abstract static class StoreTask implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default from config, else ./data).")
        Path dataDir;

        final CliContext context;
        /** The configuration the command runs under, loaded by {@link #call()}. */
        ParleyConfig config;

        StoreTask(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            // Same precedence as `serve` (file, environment, flag), so both find the same directory.
            config = context.configLoader().load(context.env(), ConfigOverrides.dataDirOnly(dataDir));
            return withStore(context.storeOpener());
        }

        private <S extends ConnectorStore & AutoCloseable> int withStore(StoreOpener<S> opener) throws Exception {
            try (S store = opener.open(config)) {
                return run(store, spec.commandLine().getOut(), spec.commandLine().getErr());
            }
        }

        abstract int run(ConnectorStore store, PrintWriter out, PrintWriter err);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a connector and print its token once.")
    static final class Create extends StoreTask {
        @Option(names = "--host", required = true, paramLabel = "HOST",
                description = "Registered web domain (e.g. yourcompany.com) or app namespace (e.g. com.yourcompany.app).")
        String host;

        Create(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            Optional<String> normalised = HostMatcher.normalise(host);
            if (normalised.isEmpty()) {
                err.println("error: not a usable host or app namespace: '" + host + "'");
                return ParleyCommand.USAGE;
            }
            ConnectorTokens tokens = new ConnectorTokens(context.random());
            String token = tokens.newToken();
            // The running server's secret (its data directory's, or PARLEY_JWT_SECRET here as there),
            // so the server finds this connector by the same keyed hash.
            ConnectorTokenHasher hasher = ConnectorTokenHasher.forConfig(config);
            Connector connector = new Connector(tokens.newConnectorId(), hasher.hash(token),
                    normalised.get(), context.clock().instant(), null);
            store.createConnector(connector);
            out.println("Created connector " + connector.id() + " for host " + connector.host());
            out.println("Token: " + token);
            out.println("Copy the token now: it cannot be shown again (only its hash is stored).");
            return ParleyCommand.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List connectors (never their tokens).")
    static final class ListAll extends StoreTask {
        private static final String ROW = "%-24s %-32s %-24s %s%n";

        ListAll(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            List<Connector> connectors = store.listConnectors();
            if (connectors.isEmpty()) {
                out.println("No connectors.");
                return ParleyCommand.OK;
            }
            out.printf(ROW, "ID", "HOST", "CREATED", "REVOKED");
            for (Connector c : connectors) {
                out.printf(ROW, c.id(), c.host() == null ? "-" : c.host(), c.createdAt(), orDash(c.revokedAt()));
            }
            return ParleyCommand.OK;
        }

        private static String orDash(Instant at) {
            return at == null ? "-" : at.toString();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a connector: its token stops working.")
    static final class Revoke extends StoreTask {
        @Parameters(paramLabel = "ID", description = "Connector id, e.g. con_...")
        String id;

        Revoke(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            Optional<Connector> found = store.findConnector(id);
            if (found.isEmpty()) {
                err.println("error: no connector with id " + id);
                return ParleyCommand.NOT_FOUND;
            }
            if (found.get().revoked()) {
                out.println("Connector " + id + " was already revoked at " + found.get().revokedAt());
                return ParleyCommand.OK;
            }
            if (!store.revokeConnector(id, context.clock().instant())) {
                err.println("error: no connector with id " + id);
                return ParleyCommand.NOT_FOUND;
            }
            out.println("Revoked connector " + id);
            return ParleyCommand.OK;
        }
    }
}
