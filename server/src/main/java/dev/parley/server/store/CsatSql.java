package dev.parley.server.store;

import dev.parley.server.csat.CsatOutcome;
import java.util.Collection;
import java.util.Optional;

/**
 * The CSAT statements, the same for both adapters like {@link SessionListingSql}: only how the
 * {@code created_at} instant is bound and read differs (epoch milliseconds in SQLite,
 * {@code timestamptz} in PostgreSQL), and which rules refuse a rating is decided here once.
 */
public final class CsatSql {
    /** 1 connector, 2 ended (boolean), 3 queue, 4 live agent, 5 rated already (boolean) — of one session. */
    public static final String STATE = "SELECT s.connector_id, s.ended_at IS NOT NULL, h.queue, h.agent_id,"
            + " EXISTS (SELECT 1 FROM csat_ratings c WHERE c.session_id = s.id)"
            + " FROM sessions s LEFT JOIN handoffs h ON h.session_id = s.id WHERE s.id = ?";
    public static final String COLUMNS = "session_id, connector_id, queue, agent_id, rating, comment, created_at";
    /** Inserts nothing when the session has a rating: a racing second one changes no row. */
    public static final String INSERT = "INSERT INTO csat_ratings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (session_id) DO NOTHING";
    public static final String SELECT = "SELECT " + COLUMNS + " FROM csat_ratings WHERE session_id = ?";

    private CsatSql() {
    }

    /** The ratings of up to {@code count} sessions: {@code count} {@code ?}s, one per session id. */
    public static String selectMany(int count) {
        return "SELECT " + COLUMNS + " FROM csat_ratings WHERE session_id IN (" + "?, ".repeat(count - 1) + "?)";
    }

    /** What {@link #STATE} read of a session. */
    public record State(String connectorId, boolean ended, String queue, String agentId, boolean rated) {
    }

    /**
     * Why the session cannot be rated by {@code connectorId}, or empty when it can. Another
     * connector's session is "not found": its existence is none of the caller's business.
     */
    public static Optional<CsatOutcome> refusal(Optional<State> state, String connectorId) {
        if (state.isEmpty() || !state.get().connectorId().equals(connectorId)) {
            return Optional.of(new CsatOutcome.NotFound());
        }
        State s = state.get();
        if (s.rated()) {
            return Optional.of(new CsatOutcome.AlreadyGiven());
        }
        if (!s.ended()) {
            return Optional.of(new CsatOutcome.NotEnded());
        }
        if (s.agentId() == null || s.queue() == null) {
            return Optional.of(new CsatOutcome.NoLiveAgent());
        }
        return Optional.empty();
    }

    /** Chunks of at most this many ids per {@link #selectMany} (well under both databases' parameter limits). */
    public static final int CHUNK = 500;

    public static <T> java.util.List<java.util.List<T>> chunks(Collection<T> all) {
        java.util.List<T> list = java.util.List.copyOf(all);
        java.util.List<java.util.List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i += CHUNK) {
            out.add(list.subList(i, Math.min(list.size(), i + CHUNK)));
        }
        return out;
    }
}
