package dev.parley.server.cli;

import dev.parley.server.auth.JwtSecret;
import dev.parley.server.store.migration.SchemaMigrations;
import dev.parley.server.store.migration.StoreDatabase;
import dev.parley.server.store.transfer.StoreImporter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley admin import --in FILE}: loads an export into the configured store, which must be
 * empty. Brings the target's schema up to date first (an empty database has none), then imports in
 * one transaction: all of the file or nothing.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Load an export made by `parley admin export` into the configured store, which must be empty.")
final class ImportCommand extends DatabaseTask {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The export file.")
    Path file;

    ImportCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StoreDatabase db, PrintWriter out, PrintWriter err) throws IOException {
        byte[] secret = JwtSecret.forConfig(config);
        BufferedReader in;
        try {
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + file);
            return ParleyCommand.NOT_FOUND;
        }
        try (in) {
            SchemaMigrations.Outcome migrated = db.schema().migrate();
            migrated.applied().forEach(step -> out.println("Applied " + step));
            StoreImporter.Summary summary = new StoreImporter().load(db, secret, in);
            out.println("Imported " + file + " (from " + summary.source() + ") into " + db.where() + ":");
            summary.rows().forEach((table, n) -> out.println("  " + table + ": " + n));
            return ParleyCommand.OK;
        }
    }
}
