package dev.parley.server.cli;

import dev.parley.server.config.ConfigOverrides;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.migration.StoreDatabase;
import dev.parley.server.store.transfer.TransferException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shared by the admin commands that work on the configured store's database itself (migrate,
 * export, import) rather than through a store: opening a store would migrate it, or refuse it.
 */
abstract class DatabaseTask implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default from config, else ./data).")
    Path dataDir;

    final CliContext context;
    /** The configuration the command runs under, loaded by {@link #call()}. */
    ParleyConfig config;

    DatabaseTask(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        // Same precedence as `serve` (file, environment, flag), so both find the same store.
        config = context.configLoader().load(context.env(), ConfigOverrides.dataDirOnly(dataDir));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (StoreDatabase db = StoreDatabase.open(config)) {
            return run(db, out, err);
        } catch (TransferException | StoreException e) {
            err.println("error: " + e.getMessage());
            return ParleyCommand.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    abstract int run(StoreDatabase db, PrintWriter out, PrintWriter err) throws Exception;
}
