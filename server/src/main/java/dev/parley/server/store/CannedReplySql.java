package dev.parley.server.store;

/**
 * The canned-reply statements, shared by both adapters like {@link HistorySql}: they differ only in how a
 * timestamp is bound (epoch milliseconds on SQLite, {@code timestamptz} on PostgreSQL) and in how a
 * unique-index refusal is recognised.
 */
public final class CannedReplySql {
    /** Columns 1–8, in {@code CannedReply}'s order. */
    public static final String COLUMNS = "id, connector_id, queue, shortcut, title, text, created_at, updated_at";
    public static final String INSERT = "INSERT INTO canned_replies (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    /** Binds queue, shortcut, title, text, updated_at, then id. */
    public static final String UPDATE = "UPDATE canned_replies SET queue = ?, shortcut = ?, title = ?, text = ?,"
            + " updated_at = ? WHERE id = ?";
    public static final String DELETE = "DELETE FROM canned_replies WHERE id = ?";
    public static final String FIND = "SELECT " + COLUMNS + " FROM canned_replies WHERE id = ?";
    /** All-queue replies (NULL queue) first, then by queue and shortcut. */
    public static final String LIST = "SELECT " + COLUMNS + " FROM canned_replies WHERE connector_id = ?"
            + " ORDER BY queue IS NOT NULL, queue, shortcut, id";

    private CannedReplySql() {
    }
}
