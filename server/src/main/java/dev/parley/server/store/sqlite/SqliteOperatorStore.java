package dev.parley.server.store.sqlite;

import dev.parley.protocol.EndReason;
import dev.parley.server.store.ApiKey;
import dev.parley.server.store.ErasureRecord;
import dev.parley.server.store.HistoryHit;
import dev.parley.server.store.HistoryQuery;
import dev.parley.server.store.HistorySql;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionListingSql;
import dev.parley.server.store.SessionQuery;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.SessionSummary;
import dev.parley.server.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** {@link OperatorStore} on the embedded SQLite file: reads through the read pool, writes through the one writer. */
final class SqliteOperatorStore implements OperatorStore {
    private static final String KEY_COLUMNS = "id, name, key_hash, created_at, revoked_at";

    private final DataSource readers;
    private final WriterConnection writer;
    private final SqliteCsatStore csat;

    SqliteOperatorStore(DataSource readers, WriterConnection writer) {
        this.readers = readers;
        this.writer = writer;
        this.csat = new SqliteCsatStore(readers, writer);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    // ---- API keys ------------------------------------------------------------------------------

    @Override
    public void createApiKey(ApiKey key) {
        update("create of API key " + key.id(), "INSERT INTO operator_api_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, key.id());
                    ps.setString(2, key.name());
                    ps.setString(3, key.keyHash());
                    ps.setLong(4, key.createdAt().toEpochMilli());
                    setMillis(ps, 5, key.revokedAt());
                });
    }

    @Override
    public List<ApiKey> listApiKeys() {
        return query("listApiKeys", "SELECT " + KEY_COLUMNS + " FROM operator_api_keys ORDER BY created_at, id",
                ps -> { }, SqliteOperatorStore::apiKey);
    }

    @Override
    public boolean revokeApiKey(String id, Instant at) {
        return update("revoke of API key " + id,
                "UPDATE operator_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", ps -> {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setString(2, id);
                }) == 1;
    }

    @Override
    public Map<String, ApiKey> activeApiKeysByHash(Instant asOf) {
        Map<String, ApiKey> byHash = new LinkedHashMap<>();
        query("activeApiKeys", "SELECT " + KEY_COLUMNS + " FROM operator_api_keys WHERE revoked_at IS NULL OR revoked_at > ?",
                ps -> ps.setLong(1, asOf.toEpochMilli()), SqliteOperatorStore::apiKey)
                .forEach(k -> byHash.put(k.keyHash(), k));
        return byHash;
    }

    // ---- conversations -------------------------------------------------------------------------

    @Override
    public List<SessionSummary> listSessions(SessionQuery q) {
        SessionListingSql listing = SessionListingSql.of(q);
        return query("listSessions", listing.sql(), ps -> bindAll(ps, listing.parameters()), SqliteOperatorStore::summary);
    }

    @Override
    public Optional<SessionSummary> findSessionSummary(String sessionId) {
        return first(query("findSessionSummary", SessionListingSql.SELECT + " WHERE s.id = ?",
                ps -> ps.setString(1, sessionId), SqliteOperatorStore::summary));
    }

    @Override
    public Map<String, dev.parley.server.csat.CsatRating> csatOf(java.util.Collection<String> sessionIds) {
        return csat.findAll(sessionIds);
    }

    // ---- history -------------------------------------------------------------------------------

    /** The first matching message (lowest rowid: stored first) of each conversation whose messages match. */
    private static final String HIT_JOIN = "JOIN (SELECT t.session_id AS sid, MIN(t.rowid) AS hit FROM message_search"
            + " JOIN message_texts t ON t.rowid = message_search.rowid WHERE message_search MATCH ?"
            + " GROUP BY t.session_id) x ON x.sid = s.id";
    private static final String BODY = "SELECT body FROM message_texts WHERE rowid = ?";

    /** Messages matching, for the newest-first plan: collected once (an uncorrelated list), probed per conversation. */
    private static final String HIT_CONDITION = "EXISTS (SELECT 1 FROM message_texts t WHERE t.session_id = s.id"
            + " AND t.rowid IN (SELECT rowid FROM message_search WHERE message_search MATCH ?))";
    private static final String COUNT_UP_TO = "SELECT count(*) FROM (SELECT 1 FROM message_search"
            + " WHERE message_search MATCH ? LIMIT ?)";
    private static final String BODIES = "SELECT rowid, body FROM message_texts WHERE session_id = ? ORDER BY seq";
    /**
     * Above this many matching messages the newest-first plan is used. Collecting and sorting every
     * match costs in proportion to the matches (100k conversations, a word in most: ~0.5 s); walking
     * conversations newest first costs in proportion to how far down the first page's matches are,
     * which is short for a common word and long for a rare one. Counting stops at this bound.
     */
    static final int COMMON_MATCHES = 5000;

    @Override
    public List<HistoryHit> searchHistory(HistoryQuery q) {
        String match = q.hasText() ? Fts5Query.of(q.text()) : null;
        if (q.hasText() && match.isEmpty()) {
            return List.of();
        }
        boolean common = match != null && first(query("countMatches", COUNT_UP_TO, ps -> {
            ps.setString(1, match);
            ps.setInt(2, COMMON_MATCHES + 1);
        }, rs -> rs.getInt(1))).orElse(0) > COMMON_MATCHES;
        HistorySql history = common ? HistorySql.newestFirst(q, HIT_CONDITION, match) : HistorySql.of(q, HIT_JOIN, match);
        List<Map.Entry<SessionSummary, String>> rows = query("searchHistory", history.sql(),
                ps -> bindAll(ps, history.parameters()), rs -> Map.entry(summary(rs), String.valueOf(rs.getObject(13))));
        List<HistoryHit> hits = new ArrayList<>(rows.size());
        for (Map.Entry<SessionSummary, String> row : rows) {
            String snippet = null;
            if (match != null && !common) {
                long rowid = Long.parseLong(row.getValue());
                snippet = first(query("snippet", BODY, ps -> ps.setLong(1, rowid), rs -> rs.getString(1)))
                        .map(body -> PrefixSnippet.of(body, q.text())).orElse(null);
            } else if (match != null) {
                // The first message (by sequence) with every word, as the FTS5 match found it.
                snippet = query("bodies", BODIES, ps -> ps.setString(1, row.getKey().session().id()), rs -> rs.getString(2))
                        .stream().filter(body -> PrefixSnippet.matchesAll(body, q.text())).findFirst()
                        .map(body -> PrefixSnippet.of(body, q.text())).orElse(null);
            }
            hits.add(new HistoryHit(row.getKey(), snippet));
        }
        return hits;
    }

    // ---- erasure -------------------------------------------------------------------------------

    @Override
    public boolean erase(ErasureRecord audit) {
        String id = audit.sessionId();
        return writer.inTransaction("erasure of session " + id, c -> {
            // Children first: they reference the session row. Deleting message_texts rows deletes their
            // search index entries (triggers), for good: the index is in secure-delete mode (V6).
            for (String table : List.of("events", "session_contexts", "handoffs", "offline_conversations", "webhook_deliveries",
                    "message_texts", "desk_notes", "csat_ratings")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE session_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE id = ?")) {
                ps.setString(1, id);
                deleted = ps.executeUpdate();
            }
            if (deleted == 0) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO erased_sessions (session_id, connector_id, erased_at, erased_by) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, audit.connectorId());
                ps.setLong(3, audit.erasedAt().toEpochMilli());
                ps.setString(4, audit.erasedBy());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<ErasureRecord> findErasure(String sessionId) {
        return first(query("findErasure", "SELECT session_id, connector_id, erased_at, erased_by FROM erased_sessions"
                + " WHERE session_id = ?", ps -> ps.setString(1, sessionId),
                rs -> new ErasureRecord(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4))));
    }

    @Override
    public Set<String> erasedSince(Instant since) {
        return Set.copyOf(query("erasedSince", "SELECT session_id FROM erased_sessions WHERE erased_at >= ?",
                ps -> ps.setLong(1, since.toEpochMilli()), rs -> rs.getString(1)));
    }

    // ---- retention -----------------------------------------------------------------------------

    @Override
    public boolean setRetentionDays(String connectorId, Integer days) {
        return update("retention of connector " + connectorId, "UPDATE connectors SET retention_days = ? WHERE id = ?", ps -> {
            if (days == null) {
                ps.setNull(1, Types.INTEGER);
            } else {
                ps.setInt(1, days);
            }
            ps.setString(2, connectorId);
        }) == 1;
    }

    @Override
    public Map<String, Integer> retentionDays() {
        Map<String, Integer> days = new LinkedHashMap<>();
        query("retentionDays", "SELECT id, retention_days FROM connectors WHERE retention_days IS NOT NULL ORDER BY id",
                ps -> { }, rs -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> days.put(e.getKey(), e.getValue()));
        return days;
    }

    @Override
    public List<String> endedBefore(String connectorId, Instant cutoff, int limit) {
        return query("endedBefore", "SELECT id FROM sessions WHERE connector_id = ? AND ended_at < ? ORDER BY ended_at LIMIT ?",
                ps -> {
                    ps.setString(1, connectorId);
                    ps.setLong(2, cutoff.toEpochMilli());
                    ps.setInt(3, limit);
                }, rs -> rs.getString(1));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void bindAll(PreparedStatement ps, List<Object> parameters) throws SQLException {
        int i = 1;
        for (Object p : parameters) {
            if (p instanceof Instant instant) {
                ps.setLong(i++, instant.toEpochMilli());
            } else if (p instanceof Integer n) {
                ps.setInt(i++, n);
            } else {
                ps.setString(i++, (String) p);
            }
        }
    }

    private static SessionSummary summary(ResultSet rs) throws SQLException {
        String reason = rs.getString(7);
        SessionRecord record = new SessionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0,
                Instant.ofEpochMilli(rs.getLong(5)), millis(rs, 6), reason == null ? null : EndReason.valueOf(reason));
        String queue = rs.getString(10);
        return new SessionSummary(record, Instant.ofEpochMilli(rs.getLong(8)), rs.getInt(9) != 0,
                queue == null ? null : new SessionSummary.Handoff(queue, rs.getString(11), rs.getString(12)));
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), millis(rs, 5));
    }

    private static Instant millis(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static void setMillis(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }

    private int update(String what, String sql, Binder binder) {
        return writer.inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private <T> List<T> query(String what, String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = readers.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
}
