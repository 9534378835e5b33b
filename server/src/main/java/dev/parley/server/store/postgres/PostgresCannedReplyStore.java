package dev.parley.server.store.postgres;

import static dev.parley.server.store.postgres.Jdbc.instant;
import static dev.parley.server.store.postgres.Jdbc.setInstant;

import dev.parley.server.desk.canned.CannedReply;
import dev.parley.server.desk.canned.CannedReplyStore;
import dev.parley.server.desk.canned.ShortcutTakenException;
import dev.parley.server.store.CannedReplySql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link CannedReplyStore} on PostgreSQL, shared by every node: the unique index settles two nodes adding one shortcut. */
final class PostgresCannedReplyStore implements CannedReplyStore {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Jdbc jdbc;

    PostgresCannedReplyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(CannedReply r) {
        write("create of canned reply " + r.id(), r, CannedReplySql.INSERT, ps -> {
            ps.setString(1, r.id());
            ps.setString(2, r.connectorId());
            Jdbc.setNullableString(ps, 3, r.queue());
            ps.setString(4, r.shortcut());
            ps.setString(5, r.title());
            ps.setString(6, r.text());
            setInstant(ps, 7, r.createdAt());
            setInstant(ps, 8, r.updatedAt());
        });
    }

    @Override
    public boolean update(CannedReply r) {
        return write("update of canned reply " + r.id(), r, CannedReplySql.UPDATE, ps -> {
            Jdbc.setNullableString(ps, 1, r.queue());
            ps.setString(2, r.shortcut());
            ps.setString(3, r.title());
            ps.setString(4, r.text());
            setInstant(ps, 5, r.updatedAt());
            ps.setString(6, r.id());
        }) == 1;
    }

    @Override
    public boolean remove(String id) {
        return jdbc.update("removal of canned reply " + id, CannedReplySql.DELETE, ps -> ps.setString(1, id)) == 1;
    }

    @Override
    public Optional<CannedReply> find(String id) {
        return jdbc.first("findCannedReply", CannedReplySql.FIND, ps -> ps.setString(1, id), PostgresCannedReplyStore::reply);
    }

    @Override
    public List<CannedReply> list(String connectorId) {
        return jdbc.query("listCannedReplies", CannedReplySql.LIST, ps -> ps.setString(1, connectorId),
                PostgresCannedReplyStore::reply);
    }

    private int write(String what, CannedReply r, String sql, Jdbc.Binder binder) {
        return jdbc.inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new ShortcutTakenException(r.shortcut());
                }
                throw e;
            }
        });
    }

    private static CannedReply reply(ResultSet rs) throws SQLException {
        return new CannedReply(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), instant(rs, 7), instant(rs, 8));
    }
}
