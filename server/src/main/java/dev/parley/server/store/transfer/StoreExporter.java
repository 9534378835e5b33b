package dev.parley.server.store.transfer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.server.store.migration.SchemaMigrations;
import dev.parley.server.store.migration.StoreDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes everything a store holds to an {@link ExportFile}, read in one transaction so the file is
 * one consistent moment even while a node keeps writing (a SQLite read transaction in WAL mode, a
 * REPEATABLE READ snapshot on PostgreSQL). Rows stream through; nothing is held in memory.
 */
public final class StoreExporter {
    private static final int FETCH_SIZE = 1_000;

    /** @param rows rows written per table, in file order */
    public record Summary(String schemaVersion, Map<String, Long> rows) {
    }

    /**
     * @param serverSecret the source's server secret, fingerprinted into the header
     * @throws TransferException if the source's schema is behind or it cannot be read
     */
    public Summary export(StoreDatabase db, byte[] serverSecret, Instant now, OutputStream out) {
        SchemaMigrations schema = db.schema();
        var pending = schema.pending();
        if (!pending.isEmpty()) {
            throw new TransferException("the schema of " + db.where() + " is behind (pending " + pending
                    + "): run `parley admin migrate` first");
        }
        // Read before the export's own connection is taken: Flyway uses connections of its own.
        String schemaVersion = schema.currentVersion();
        Dialect dialect = Dialect.of(db.kind());
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection();
             JsonGenerator json = ExportFile.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            c.setAutoCommit(false);
            if (dialect == Dialect.POSTGRES) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
            }
            header(json, db, schemaVersion, serverSecret, now);
            for (Table table : Table.ALL) {
                counts.put(table.name(), rows(c, dialect, table, json));
            }
            json.writeStartObject();
            json.writeObjectFieldStart("end");
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                json.writeNumberField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
            c.rollback();
        } catch (SQLException e) {
            throw new TransferException("cannot read " + db.where() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export: " + e.getMessage(), e);
        }
        return new Summary(schemaVersion, counts);
    }

    private static void header(JsonGenerator json, StoreDatabase db, String schemaVersion, byte[] secret, Instant now)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("format", ExportFile.FORMAT);
        json.writeNumberField("version", ExportFile.VERSION);
        json.writeStringField("source", db.kind().yamlName());
        json.writeStringField("schema_version", schemaVersion);
        json.writeStringField("exported_at", now.toString());
        json.writeStringField("secret_check", SecretCheck.fingerprint(secret));
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static long rows(Connection c, Dialect dialect, Table table, JsonGenerator json)
            throws SQLException, IOException {
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement(table.selectAll())) {
            // PostgreSQL streams with a cursor only inside a transaction and with a fetch size.
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    json.writeStartObject();
                    json.writeStringField("table", table.name());
                    json.writeObjectFieldStart("row");
                    for (int i = 0; i < table.columns().size(); i++) {
                        dialect.write(rs, i + 1, table.columns().get(i), json);
                    }
                    json.writeEndObject();
                    json.writeEndObject();
                    json.writeRaw('\n');
                    n++;
                }
            }
        }
        return n;
    }
}
