package dev.parley.server.cli;

import dev.parley.server.store.migration.SchemaMigrations;
import dev.parley.server.store.migration.StoreDatabase;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code parley admin migrate}: applies the configured store's pending schema migrations and exits,
 * for operators who run nodes with {@code store.migrate_on_start: false}.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the configured store's pending schema migrations, print them, and exit.")
final class MigrateCommand extends DatabaseTask {

    MigrateCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StoreDatabase db, PrintWriter out, PrintWriter err) {
        SchemaMigrations.Outcome outcome = db.schema().migrate();
        if (outcome.applied().isEmpty()) {
            out.println("Schema of " + db.where() + " is up to date (version " + outcome.after() + "); nothing applied.");
            return ParleyCommand.OK;
        }
        for (SchemaMigrations.Step step : outcome.applied()) {
            out.println("Applied " + step);
        }
        out.println("Schema of " + db.where() + " migrated from "
                + (outcome.before() == null ? "an empty database" : "version " + outcome.before())
                + " to version " + outcome.after() + " (" + outcome.applied().size() + " migration"
                + (outcome.applied().size() == 1 ? "" : "s") + ").");
        return ParleyCommand.OK;
    }
}
