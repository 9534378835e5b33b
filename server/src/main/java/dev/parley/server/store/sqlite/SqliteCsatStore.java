package dev.parley.server.store.sqlite;

import dev.parley.server.csat.CsatOutcome;
import dev.parley.server.csat.CsatRating;
import dev.parley.server.csat.CsatStore;
import dev.parley.server.store.CsatSql;
import dev.parley.server.store.StoreException;
import dev.parley.server.webhooks.CsatWebhook;
import dev.parley.server.webhooks.WebhookEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link CsatStore} on the embedded SQLite file. A rating is written by the one writer, so its
 * checks, its row and its webhook rows are one IMMEDIATE transaction no other write interleaves.
 */
final class SqliteCsatStore implements CsatStore {
    private final DataSource readers;
    private final WriterConnection writer;

    SqliteCsatStore(DataSource readers, WriterConnection writer) {
        this.readers = readers;
        this.writer = writer;
    }

    @Override
    public CsatOutcome give(String connectorId, String sessionId, int rating, String comment, Instant at, String eventId) {
        return writer.inTransaction("rating of session " + sessionId, c -> {
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
                if (comment == null) {
                    ps.setNull(6, Types.VARCHAR);
                } else {
                    ps.setString(6, comment);
                }
                ps.setLong(7, at.toEpochMilli());
                if (ps.executeUpdate() == 0) {
                    return new CsatOutcome.AlreadyGiven();
                }
            }
            SqliteWebhookStore.enqueue(c, eventId, WebhookEventType.CSAT_GIVEN, sessionId, at, CsatWebhook.data(stored));
            return new CsatOutcome.Given(stored);
        });
    }

    private static Optional<CsatSql.State> state(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CsatSql.STATE)) {
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
            try (Connection c = readers.getConnection(); PreparedStatement ps = c.prepareStatement(CsatSql.selectMany(chunk.size()))) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), new CsatRating(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getInt(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("read of ratings failed: " + e.getMessage(), e);
            }
        }
        return found;
    }
}
