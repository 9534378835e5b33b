package dev.parley.server.store.postgres;

import static dev.parley.server.store.postgres.Jdbc.instant;
import static dev.parley.server.store.postgres.Jdbc.setInstant;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link OperatorStore} on PostgreSQL, through the store's pool. */
final class PostgresOperatorStore implements OperatorStore {
    private static final String KEY_COLUMNS = "id, name, key_hash, created_at, revoked_at";

    private final Jdbc jdbc;

    PostgresOperatorStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    // ---- API keys ------------------------------------------------------------------------------

    @Override
    public void createApiKey(ApiKey key) {
        jdbc.update("create of API key " + key.id(), "INSERT INTO operator_api_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, key.id());
                    ps.setString(2, key.name());
                    ps.setString(3, key.keyHash());
                    setInstant(ps, 4, key.createdAt());
                    setInstant(ps, 5, key.revokedAt());
                });
    }

    @Override
    public List<ApiKey> listApiKeys() {
        return jdbc.query("listApiKeys", "SELECT " + KEY_COLUMNS + " FROM operator_api_keys ORDER BY created_at, id",
                ps -> { }, PostgresOperatorStore::apiKey);
    }

    @Override
    public boolean revokeApiKey(String id, Instant at) {
        return jdbc.update("revoke of API key " + id,
                "UPDATE operator_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", ps -> {
                    setInstant(ps, 1, at);
                    ps.setString(2, id);
                }) == 1;
    }

    @Override
    public Map<String, ApiKey> activeApiKeysByHash(Instant asOf) {
        Map<String, ApiKey> byHash = new LinkedHashMap<>();
        jdbc.query("activeApiKeys", "SELECT " + KEY_COLUMNS + " FROM operator_api_keys WHERE revoked_at IS NULL OR revoked_at > ?",
                ps -> setInstant(ps, 1, asOf), PostgresOperatorStore::apiKey)
                .forEach(k -> byHash.put(k.keyHash(), k));
        return byHash;
    }

    // ---- conversations -------------------------------------------------------------------------

    @Override
    public List<SessionSummary> listSessions(SessionQuery q) {
        SessionListingSql listing = SessionListingSql.of(q);
        return jdbc.query("listSessions", listing.sql(), ps -> {
            int i = 1;
            for (Object p : listing.parameters()) {
                if (p instanceof Instant at) {
                    setInstant(ps, i++, at);
                } else if (p instanceof Integer n) {
                    ps.setInt(i++, n);
                } else {
                    ps.setString(i++, (String) p);
                }
            }
        }, PostgresOperatorStore::summary);
    }

    @Override
    public Optional<SessionSummary> findSessionSummary(String sessionId) {
        return jdbc.first("findSessionSummary", SessionListingSql.SELECT + " WHERE s.id = ?",
                ps -> ps.setString(1, sessionId), PostgresOperatorStore::summary);
    }

    @Override
    public Map<String, dev.parley.server.csat.CsatRating> csatOf(java.util.Collection<String> sessionIds) {
        return new PostgresCsatStore(jdbc).findAll(sessionIds);
    }

    // ---- history -------------------------------------------------------------------------------

    /** The first matching message (lowest sequence) of each conversation whose messages match. */
    private static final String HIT_JOIN = "JOIN (SELECT DISTINCT ON (session_id) session_id AS sid, message_key AS hit"
            + " FROM message_texts WHERE tsv @@ websearch_to_tsquery('english', ?) ORDER BY session_id, seq) x"
            + " ON x.sid = s.id";
    /**
     * The other plan, for words in very many messages: conversations walked newest end first (the
     * {@code sessions_ended_id} index), each probed for its first matching message, until the page is
     * full. A lateral join with a limit cannot be turned into a hash join over every match, which is
     * what made a common word cost seconds at 100k conversations.
     */
    private static final String LATERAL_HIT_JOIN = "CROSS JOIN LATERAL (SELECT t.message_key AS hit FROM message_texts t"
            + " WHERE t.session_id = s.id AND t.tsv @@ websearch_to_tsquery('english', ?) ORDER BY t.seq LIMIT 1) x";
    private static final String COUNT_UP_TO = "SELECT count(*) FROM (SELECT 1 FROM message_texts"
            + " WHERE tsv @@ websearch_to_tsquery('english', ?) LIMIT ?) c";
    /** Above this many matching messages the newest-first walk finds a page sooner than collecting every match. */
    static final int COMMON_MATCHES = 5000;
    private static final String SNIPPET = "SELECT ts_headline('english', body, websearch_to_tsquery('english', ?), ?)"
            + " FROM message_texts WHERE session_id = ? AND message_key = ?";
    private static final String HEADLINE_OPTIONS = "StartSel=" + HistoryHit.MARK_START + ", StopSel=" + HistoryHit.MARK_END
            + ", MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…";

    @Override
    public List<HistoryHit> searchHistory(HistoryQuery q) {
        boolean common = q.hasText() && jdbc.first("countMatches", COUNT_UP_TO, ps -> {
            ps.setString(1, q.text());
            ps.setInt(2, COMMON_MATCHES + 1);
        }, rs -> rs.getInt(1)).orElse(0) > COMMON_MATCHES;
        HistorySql history = HistorySql.of(q, common ? LATERAL_HIT_JOIN : HIT_JOIN, q.hasText() ? q.text() : null);
        List<Map.Entry<SessionSummary, String>> rows = jdbc.query("searchHistory", history.sql(), ps -> {
            int i = 1;
            for (Object p : history.parameters()) {
                if (p instanceof Instant at) {
                    setInstant(ps, i++, at);
                } else if (p instanceof Integer n) {
                    ps.setInt(i++, n);
                } else {
                    ps.setString(i++, (String) p);
                }
            }
        }, rs -> Map.entry(summary(rs), String.valueOf(rs.getString(13))));
        List<HistoryHit> hits = new java.util.ArrayList<>(rows.size());
        for (Map.Entry<SessionSummary, String> row : rows) {
            String snippet = null;
            if (q.hasText()) {
                snippet = jdbc.first("snippet", SNIPPET, ps -> {
                    ps.setString(1, q.text());
                    ps.setString(2, HEADLINE_OPTIONS);
                    ps.setString(3, row.getKey().session().id());
                    ps.setString(4, row.getValue());
                }, rs -> rs.getString(1)).orElse(null);
            }
            hits.add(new HistoryHit(row.getKey(), snippet));
        }
        return hits;
    }

    // ---- erasure -------------------------------------------------------------------------------

    /**
     * The session row is locked first: an append in flight (it updates that row first) is waited
     * for, so its events are committed and deleted here, and an append after this finds no row and
     * is refused. Then every table that references the session, then the row, then the audit.
     */
    @Override
    public boolean erase(ErasureRecord audit) {
        String id = audit.sessionId();
        return jdbc.inTransaction("erasure of session " + id, c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM sessions WHERE id = ? FOR UPDATE")) {
                lock.setString(1, id);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            for (String table : List.of("events", "session_contexts", "handoffs", "session_connections", "offline_conversations",
                    "webhook_deliveries", "message_texts", "desk_notes", "csat_ratings")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE session_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO erased_sessions (session_id, connector_id,"
                    + " erased_at, erased_by) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING")) {
                ps.setString(1, id);
                ps.setString(2, audit.connectorId());
                setInstant(ps, 3, audit.erasedAt());
                ps.setString(4, audit.erasedBy());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<ErasureRecord> findErasure(String sessionId) {
        return jdbc.first("findErasure", "SELECT session_id, connector_id, erased_at, erased_by FROM erased_sessions"
                + " WHERE session_id = ?", ps -> ps.setString(1, sessionId),
                rs -> new ErasureRecord(rs.getString(1), rs.getString(2), instant(rs, 3), rs.getString(4)));
    }

    @Override
    public Set<String> erasedSince(Instant since) {
        return Set.copyOf(jdbc.query("erasedSince", "SELECT session_id FROM erased_sessions WHERE erased_at >= ?",
                ps -> setInstant(ps, 1, since), rs -> rs.getString(1)));
    }

    // ---- retention -----------------------------------------------------------------------------

    @Override
    public boolean setRetentionDays(String connectorId, Integer days) {
        return jdbc.update("retention of connector " + connectorId, "UPDATE connectors SET retention_days = ? WHERE id = ?",
                ps -> {
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
        jdbc.query("retentionDays", "SELECT id, retention_days FROM connectors WHERE retention_days IS NOT NULL ORDER BY id",
                ps -> { }, rs -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> days.put(e.getKey(), e.getValue()));
        return days;
    }

    @Override
    public List<String> endedBefore(String connectorId, Instant cutoff, int limit) {
        return jdbc.query("endedBefore", "SELECT id FROM sessions WHERE connector_id = ? AND ended_at < ? ORDER BY ended_at LIMIT ?",
                ps -> {
                    ps.setString(1, connectorId);
                    setInstant(ps, 2, cutoff);
                    ps.setInt(3, limit);
                }, rs -> rs.getString(1));
    }

    // ---- rows ----------------------------------------------------------------------------------

    private static SessionSummary summary(ResultSet rs) throws SQLException {
        String reason = rs.getString(7);
        SessionRecord record = new SessionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                instant(rs, 5), instant(rs, 6), reason == null ? null : EndReason.valueOf(reason));
        String queue = rs.getString(10);
        return new SessionSummary(record, instant(rs, 8), rs.getInt(9) != 0,
                queue == null ? null : new SessionSummary.Handoff(queue, rs.getString(11), rs.getString(12)));
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5));
    }
}
