package dev.parley.server.cli;

import dev.parley.server.auth.JwtSecret;
import dev.parley.server.datadir.OwnerOnly;
import dev.parley.server.store.migration.StoreDatabase;
import dev.parley.server.store.transfer.StoreExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley admin export --out FILE}: everything the configured store holds, as line-oriented
 * JSON (see {@code dev.parley.server.store.transfer.ExportFile}). The file holds token and password
 * hashes and sealed keys, so it is created 0600 and never overwritten.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write everything the configured store holds to FILE (line-oriented JSON, mode 0600).")
final class ExportCommand extends DatabaseTask {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to create; must not exist.")
    Path file;

    ExportCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StoreDatabase db, PrintWriter out, PrintWriter err) throws IOException {
        byte[] secret = JwtSecret.forConfig(config);
        Path parent = file.toAbsolutePath().getParent();
        StoreExporter.Summary summary;
        try {
            Files.createFile(file, OwnerOnly.attributes(parent));
        } catch (FileAlreadyExistsException e) {
            err.println("error: " + file + " exists; choose another --out or remove it");
            return ParleyCommand.USAGE;
        }
        boolean done = false;
        try (OutputStream stream = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            summary = new StoreExporter().export(db, secret, context.clock().instant(), stream);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
            }
        }
        out.println("Exported " + db.where() + " (schema version " + summary.schemaVersion() + ") to " + file + ":");
        summary.rows().forEach((table, n) -> out.println("  " + table + ": " + n));
        return ParleyCommand.OK;
    }
}
