package dev.parley.server.store;

/**
 * The SQL of the {@code desk_notes} table, the same text on both stores (only how a timestamp is
 * bound differs: epoch milliseconds on SQLite, {@code timestamptz} on PostgreSQL).
 */
public final class DeskNoteSql {
    /** Column order of {@link #INSERT} and of every row {@link #BY_SESSION} returns. */
    public static final String COLUMNS = "id, session_id, connector_id, author_id, author_name, text, created_at";
    public static final String INSERT = "INSERT INTO desk_notes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    public static final String BY_SESSION = "SELECT " + COLUMNS + " FROM desk_notes WHERE session_id = ?"
            + " ORDER BY created_at, id";

    private DeskNoteSql() {
    }
}
