package dev.parley.server.store.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.store.migration.StoreDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads an {@link ExportFile} into an empty store whose schema is current, in one transaction: a
 * file that is refused half-way (a bad line, a truncated end, a constraint) leaves the target as
 * empty as it was. Sequences, event ids and the event JSON are written exactly as read.
 */
public final class StoreImporter {
    private static final int BATCH = 500;

    /** @param rows rows imported per table */
    public record Summary(String source, Map<String, Long> rows) {
    }

    /**
     * @param serverSecret the target's server secret; it must be the one the export was made under
     * @throws TransferException naming the problem (and the line of the file)
     */
    public Summary load(StoreDatabase db, byte[] serverSecret, BufferedReader in) {
        Dialect dialect = Dialect.of(db.kind());
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                requireEmpty(c, db);
                Summary summary = new Load(in, dialect, c, serverSecret).run();
                if (dialect == Dialect.POSTGRES) {
                    // Derived, so not in the file: each session's highest sequence, which appends and followers read.
                    try (Statement st = c.createStatement()) {
                        st.executeUpdate("UPDATE sessions SET head_seq = COALESCE("
                                + "(SELECT MAX(seq) FROM events e WHERE e.session_id = sessions.id), 0)");
                    }
                }
                c.commit();
                return summary;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new TransferException("cannot import into " + db.where() + ": " + e.getMessage(), e);
        }
    }

    private static void requireEmpty(Connection c, StoreDatabase db) throws SQLException {
        Map<String, Long> found = new LinkedHashMap<>();
        for (Table table : Table.ALL) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table.name())) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    found.put(table.name(), rs.getLong(1));
                }
            }
        }
        if (!found.isEmpty()) {
            throw new TransferException("the target " + db.where() + " is not empty " + found
                    + ": import only into a fresh store (a node started on it once has created its demo connector)");
        }
    }

    /** One pass over the file. */
    private static final class Load {
        private final BufferedReader in;
        private final Dialect dialect;
        private final Connection c;
        private final byte[] serverSecret;
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private long lineNo;
        private int tableIndex = -1;
        private PreparedStatement insert;
        private int pending;

        Load(BufferedReader in, Dialect dialect, Connection c, byte[] serverSecret) {
            this.in = in;
            this.dialect = dialect;
            this.c = c;
            this.serverSecret = serverSecret;
            Table.ALL.forEach(t -> counts.put(t.name(), 0L));
        }

        Summary run() throws SQLException {
            try {
                String source = header(next());
                JsonNode line;
                while ((line = next()) != null) {
                    if (line.has("end")) {
                        flush();
                        checkEnd(line.get("end"));
                        if (next() != null) {
                            throw refused("nothing may follow the end line");
                        }
                        return new Summary(source, counts);
                    }
                    row(line);
                }
                throw new TransferException("the file ends after line " + lineNo
                        + " without its end line: it is truncated, nothing was imported");
            } finally {
                if (insert != null) {
                    insert.close();
                }
            }
        }

        private String header(JsonNode header) {
            if (header == null || !ExportFile.FORMAT.equals(header.path("format").asText(null))) {
                throw refused("not a Parley export (the first line must have \"format\":\"" + ExportFile.FORMAT + "\")");
            }
            if (header.path("version").asInt(-1) != ExportFile.VERSION) {
                throw refused("export format version " + header.path("version") + " is not supported (this Parley reads "
                        + ExportFile.VERSION + ")");
            }
            if (!SecretCheck.fingerprint(serverSecret).equals(header.path("secret_check").asText(""))) {
                throw new TransferException("the export was made under another server secret than this target's:"
                        + " its connector tokens and context keys would stop working. Run the import (and the nodes)"
                        + " with the source's secret: PARLEY_JWT_SECRET_BASE64_FILE=<source data dir>/jwt.secret"
                        + " (a copy of it) when the source was an embedded store, else the same PARLEY_JWT_SECRET"
                        + " or PARLEY_JWT_SECRET_FILE");
            }
            return header.path("source").asText("?");
        }

        private void row(JsonNode line) throws SQLException {
            String name = line.path("table").asText("");
            Table table = Table.named(name).orElseThrow(() -> refused("unknown table '" + name + "'"));
            int index = Table.ALL.indexOf(table);
            if (index < tableIndex) {
                throw refused("rows of " + name + " after rows of " + Table.ALL.get(tableIndex).name()
                        + ": tables must come in the order " + Table.ALL.stream().map(Table::name).toList());
            }
            if (index != tableIndex) {
                flush();
                if (insert != null) {
                    insert.close();
                }
                insert = c.prepareStatement(table.insert());
                tableIndex = index;
            }
            JsonNode row = line.get("row");
            if (row == null || !row.isObject()) {
                throw refused("a row line needs a \"row\" object");
            }
            for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (table.columns().stream().noneMatch(col -> col.name().equals(field))) {
                    throw refused("unknown column " + name + "." + field);
                }
            }
            List<Column> columns = table.columns();
            try {
                for (int i = 0; i < columns.size(); i++) {
                    Column column = columns.get(i);
                    JsonNode value = row.get(column.name());
                    if (value == null && column.absentAs() != null) {
                        value = com.fasterxml.jackson.databind.node.TextNode.valueOf(column.absentAs());
                    }
                    dialect.bind(insert, i + 1, column, value);
                }
            } catch (TransferException e) {
                throw refused(name + "." + e.getMessage());
            }
            insert.addBatch();
            counts.merge(name, 1L, Long::sum);
            if (++pending == BATCH) {
                flush();
            }
        }

        private void flush() throws SQLException {
            if (pending > 0) {
                try {
                    insert.executeBatch();
                } catch (SQLException e) {
                    SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                    throw new TransferException("the rows of " + Table.ALL.get(tableIndex).name() + " up to line "
                            + lineNo + " were refused by the target: " + cause.getMessage(), e);
                }
                pending = 0;
            }
        }

        private void checkEnd(JsonNode end) {
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                // A table added after the file was written is absent from its end line and holds no rows.
                long expected = end.has(e.getKey()) ? end.path(e.getKey()).asLong(-1) : e.getValue() == 0 ? 0 : -1;
                if (expected != e.getValue()) {
                    throw refused("the end line counts " + expected + " rows of " + e.getKey() + ", the file holds "
                            + e.getValue());
                }
            }
        }

        /** The next line's JSON, {@code null} at the end of the file; blank lines are skipped. */
        private JsonNode next() {
            try {
                String text;
                do {
                    text = in.readLine();
                    if (text == null) {
                        return null;
                    }
                    lineNo++;
                } while (text.isBlank());
                return ExportFile.JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw refused("not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the export: " + e.getMessage(), e);
            }
        }

        private TransferException refused(String why) {
            return new TransferException("line " + lineNo + ": " + why + "; nothing was imported");
        }
    }
}
