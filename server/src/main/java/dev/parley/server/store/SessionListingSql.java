package dev.parley.server.store;

import dev.parley.protocol.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator listing's query, the same for both adapters: only how an {@link java.time.Instant}
 * parameter is bound differs (epoch milliseconds in SQLite, {@code timestamptz} in PostgreSQL), so
 * the SQL and its parameters are built here once and each adapter binds them.
 *
 * <p>Order is newest first by {@code (created_at, id)}, a total order that never changes for a
 * stored session, and a page starts strictly after the previous page's last row: no session is
 * shown twice or skipped across pages, whatever is created meanwhile (new sessions sort before the
 * first page).
 */
public final class SessionListingSql {
    /** What makes a session "handed off" in its journal: the AI's handoff, or the desk or client taking it. */
    private static final String HANDOFF_TYPES = Stream.of(EventType.POLY_AGENT_TRIGGERED_HANDOFF,
                    EventType.CLIENT_HANDOFF_REQUIRED, EventType.HANDOFF_ACCEPTED)
            .map(t -> "'" + t.name() + "'").collect(Collectors.joining(", "));

    /** Columns: 1-7 as the adapters' session rows, 8 last activity, 9 handed off (0/1), 10-12 the handoff record. */
    public static final String COLUMNS = "s.id, s.connector_id, s.platform, s.streaming, s.created_at, s.ended_at,"
            + " s.end_reason, s.last_activity_at,"
            + " CASE WHEN h.session_id IS NOT NULL OR EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.id"
            + " AND e.type IN (" + HANDOFF_TYPES + ")) THEN 1 ELSE 0 END,"
            + " h.queue, h.status, h.agent_id";
    public static final String FROM = " FROM sessions s LEFT JOIN handoffs h ON h.session_id = s.id";
    public static final String SELECT = "SELECT " + COLUMNS + FROM;

    private final String sql;
    private final List<Object> parameters;

    private SessionListingSql(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    public static SessionListingSql of(SessionQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> p = new ArrayList<>();
        if (q.connectorId() != null) {
            where.append(" AND s.connector_id = ?");
            p.add(q.connectorId());
        }
        if (q.createdFrom() != null) {
            where.append(" AND s.created_at >= ?");
            p.add(q.createdFrom());
        }
        if (q.createdUntil() != null) {
            where.append(" AND s.created_at < ?");
            p.add(q.createdUntil());
        }
        if (q.ended() != null) {
            where.append(q.ended() ? " AND s.ended_at IS NOT NULL" : " AND s.ended_at IS NULL");
        }
        if (q.handoff() != null) {
            String handedOff = "(h.session_id IS NOT NULL OR EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.id"
                    + " AND e.type IN (" + HANDOFF_TYPES + ")))";
            where.append(q.handoff() ? " AND " + handedOff : " AND NOT " + handedOff);
        }
        if (q.liveAgentId() != null) {
            where.append(" AND h.agent_id = ?");
            p.add(q.liveAgentId());
        }
        if (q.after() != null) {
            where.append(" AND (s.created_at < ? OR (s.created_at = ? AND s.id < ?))");
            p.add(q.after().createdAt());
            p.add(q.after().createdAt());
            p.add(q.after().sessionId());
        }
        p.add(q.limit());
        return new SessionListingSql(SELECT + where + " ORDER BY s.created_at DESC, s.id DESC LIMIT ?", List.copyOf(p));
    }

    public String sql() {
        return sql;
    }

    /** Strings, {@link java.time.Instant}s and one {@link Integer} (the limit, last). */
    public List<Object> parameters() {
        return parameters;
    }
}
