package dev.parley.server.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The history query, shared by both adapters like {@link SessionListingSql}: each adapter brings
 * only its full-text join ({@code hitJoin}: one {@code ?} for the text, yielding {@code x.sid} and
 * {@code x.hit}, the key of the first matching message). Column 13 is that key (null without text).
 *
 * <p>Order is newest end first by {@code (ended_at, id)}; a page starts strictly after the
 * previous page's last row, so no conversation is shown twice or skipped across pages.
 */
public final class HistorySql {
    private final String sql;
    private final List<Object> parameters;

    private HistorySql(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    /** {@code searchText}: the text as the adapter's {@code hitJoin} takes it (ignored without text). */
    public static HistorySql of(HistoryQuery q, String hitJoin, String searchText) {
        return build(q, hitJoin, null, searchText);
    }

    /**
     * The other plan: conversations walked newest end first, each kept if {@code hitCondition} (one
     * {@code ?} for the text) holds; column 13 is null (the adapter finds the hit itself). Best when
     * the words match so many messages that collecting every match first would cost more.
     */
    public static HistorySql newestFirst(HistoryQuery q, String hitCondition, String searchText) {
        return build(q, null, hitCondition, searchText);
    }

    private static HistorySql build(HistoryQuery q, String hitJoin, String hitCondition, String searchText) {
        List<Object> p = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + SessionListingSql.COLUMNS);
        if (q.hasText() && hitJoin != null) {
            sql.append(", x.hit").append(SessionListingSql.FROM).append(' ').append(hitJoin);
            p.add(searchText);
        } else {
            sql.append(", NULL").append(SessionListingSql.FROM);
        }
        sql.append(" WHERE s.ended_at IS NOT NULL");
        if (q.hasText() && hitCondition != null) {
            sql.append(" AND ").append(hitCondition);
            p.add(searchText);
        }
        if (q.connectorId() != null) {
            sql.append(" AND s.connector_id = ?");
            p.add(q.connectorId());
        }
        if (q.queues() != null) {
            if (q.queues().isEmpty() || q.queue() != null && !q.queues().contains(q.queue())) {
                sql.append(" AND 1 = 0");
            } else if (q.queue() == null) {
                // Not both: PostgreSQL multiplies the two predicates' selectivities on one column and,
                // expecting a handful of rows, once chose a plan that took 1.5 s instead of 1 ms.
                sql.append(" AND h.queue IN (").append("?, ".repeat(q.queues().size() - 1)).append("?)");
                p.addAll(q.queues());
            }
        }
        if (q.queue() != null) {
            sql.append(" AND h.queue = ?");
            p.add(q.queue());
        }
        if (q.liveAgentId() != null) {
            sql.append(" AND h.agent_id = ?");
            p.add(q.liveAgentId());
        }
        if (q.endedFrom() != null) {
            sql.append(" AND s.ended_at >= ?");
            p.add(q.endedFrom());
        }
        if (q.endedUntil() != null) {
            sql.append(" AND s.ended_at < ?");
            p.add(q.endedUntil());
        }
        if (q.after() != null) {
            sql.append(" AND (s.ended_at < ? OR (s.ended_at = ? AND s.id < ?))");
            p.add(q.after().endedAt());
            p.add(q.after().endedAt());
            p.add(q.after().sessionId());
        }
        p.add(q.limit());
        sql.append(" ORDER BY s.ended_at DESC, s.id DESC LIMIT ?");
        return new HistorySql(sql.toString(), List.copyOf(p));
    }

    public String sql() {
        return sql;
    }

    /** Strings, {@link java.time.Instant}s and one {@link Integer} (the limit, last). */
    public List<Object> parameters() {
        return parameters;
    }
}
