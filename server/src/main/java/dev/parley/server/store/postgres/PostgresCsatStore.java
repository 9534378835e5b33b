package dev.parley.server.store.postgres;

import static dev.parley.server.store.postgres.Jdbc.instant;
import static dev.parley.server.store.postgres.Jdbc.setInstant;
import static dev.parley.server.store.postgres.Jdbc.setNullableString;

import dev.parley.server.csat.CsatOutcome;
import dev.parley.server.csat.CsatRating;
import dev.parley.server.csat.CsatStore;
import dev.parley.server.store.CsatSql;
import dev.parley.server.webhooks.CsatWebhook;
import dev.parley.server.webhooks.WebhookEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link CsatStore} on PostgreSQL, shared by every node. The session row is locked while a rating
 * is checked and stored (as erasure locks it), so a rating never lands on a session being erased;
 * two nodes rating one session at once store one row ({@code ON CONFLICT DO NOTHING}) and one
 * webhook delivery set.
 */
final class PostgresCsatStore implements CsatStore {
    private final Jdbc jdbc;

    PostgresCsatStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public CsatOutcome give(String connectorId, String sessionId, int rating, String comment, Instant at, String eventId) {
        return jdbc.inTransaction("rating of session " + sessionId, c -> {
            Optional<CsatSql.State> state = state(c, sessionId);
            Optional<CsatOutcome> refused = CsatSql.refusal(state, connectorId);
            if (refused.isPresent()) {
                return refused.get();
            }
            CsatRating stored = new CsatRating(sessionId, connectorId, state.get().queue(), state.get().agentId(), rating,
                    comment, at);
            try (PreparedStatement ps = c.prepareStatement(CsatSql.INSERT)) {
                ps.setString(1, sessionId);
                ps.setString(2, connectorId);
                ps.setString(3, stored.queue());
                ps.setString(4, stored.agentId());
                ps.setInt(5, rating);
                setNullableString(ps, 6, comment);
                setInstant(ps, 7, at);
                if (ps.executeUpdate() == 0) {
                    return new CsatOutcome.AlreadyGiven();
                }
            }
            PostgresWebhookStore.enqueue(c, eventId, WebhookEventType.CSAT_GIVEN, sessionId, at, CsatWebhook.data(stored));
            return new CsatOutcome.Given(stored);
        });
    }

    private static Optional<CsatSql.State> state(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CsatSql.STATE + " FOR UPDATE OF s")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new CsatSql.State(rs.getString(1), rs.getBoolean(2), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5))) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<CsatRating> find(String sessionId) {
        return Optional.ofNullable(findAll(List.of(sessionId)).get(sessionId));
    }

    /** The ratings of these sessions (those that have one), by session id. */
    Map<String, CsatRating> findAll(Collection<String> sessionIds) {
        Map<String, CsatRating> found = new HashMap<>();
        for (List<String> chunk : CsatSql.chunks(sessionIds)) {
            jdbc.query("read of ratings", CsatSql.selectMany(chunk.size()), ps -> {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
            }, rs -> new CsatRating(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                    rs.getString(6), instant(rs, 7))).forEach(r -> found.put(r.sessionId(), r));
        }
        return found;
    }
}
