package dev.parley.server.store.sqlite;

import dev.parley.server.desk.canned.CannedReply;
import dev.parley.server.desk.canned.CannedReplyStore;
import dev.parley.server.desk.canned.ShortcutTakenException;
import dev.parley.server.store.CannedReplySql;
import dev.parley.server.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link CannedReplyStore} on the embedded SQLite file: writes through the one writer, reads on the pool. */
final class SqliteCannedReplyStore implements CannedReplyStore {
    /** SQLITE_CONSTRAINT: here only the shortcut's unique index can refuse (the id is random). */
    private static final int CONSTRAINT = 19;

    private final DataSource readers;
    private final WriterConnection writer;

    SqliteCannedReplyStore(DataSource readers, WriterConnection writer) {
        this.readers = readers;
        this.writer = writer;
    }

    @Override
    public void add(CannedReply r) {
        write("create of canned reply " + r.id(), r, CannedReplySql.INSERT, ps -> {
            ps.setString(1, r.id());
            ps.setString(2, r.connectorId());
            ps.setString(3, r.queue());
            ps.setString(4, r.shortcut());
            ps.setString(5, r.title());
            ps.setString(6, r.text());
            ps.setLong(7, r.createdAt().toEpochMilli());
            ps.setLong(8, r.updatedAt().toEpochMilli());
        });
    }

    @Override
    public boolean update(CannedReply r) {
        return write("update of canned reply " + r.id(), r, CannedReplySql.UPDATE, ps -> {
            ps.setString(1, r.queue());
            ps.setString(2, r.shortcut());
            ps.setString(3, r.title());
            ps.setString(4, r.text());
            ps.setLong(5, r.updatedAt().toEpochMilli());
            ps.setString(6, r.id());
        }) == 1;
    }

    @Override
    public boolean remove(String id) {
        return writer.inTransaction("removal of canned reply " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(CannedReplySql.DELETE)) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<CannedReply> find(String id) {
        return query("findCannedReply", CannedReplySql.FIND, id).stream().findFirst();
    }

    @Override
    public List<CannedReply> list(String connectorId) {
        return query("listCannedReplies", CannedReplySql.LIST, connectorId);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int write(String what, CannedReply r, String sql, Binder binder) {
        return writer.inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            } catch (SQLException e) {
                if (e.getErrorCode() == CONSTRAINT) {
                    throw new ShortcutTakenException(r.shortcut());
                }
                throw e;
            }
        });
    }

    private List<CannedReply> query(String what, String sql, String parameter) {
        try (Connection c = readers.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                List<CannedReply> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new CannedReply(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                            Instant.ofEpochMilli(rs.getLong(8))));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }
}
