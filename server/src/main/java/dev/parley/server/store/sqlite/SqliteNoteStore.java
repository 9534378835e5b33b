package dev.parley.server.store.sqlite;

import dev.parley.server.desk.notes.DeskNote;
import dev.parley.server.desk.notes.NoteStore;
import dev.parley.server.store.DeskNoteSql;
import dev.parley.server.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** {@link NoteStore} on the embedded SQLite file: reads through the read pool, writes through the one writer. */
final class SqliteNoteStore implements NoteStore {
    private final DataSource readers;
    private final WriterConnection writer;

    SqliteNoteStore(DataSource readers, WriterConnection writer) {
        this.readers = readers;
        this.writer = writer;
    }

    @Override
    public void add(DeskNote note) {
        writer.inTransaction("note on session " + note.sessionId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(DeskNoteSql.INSERT)) {
                ps.setString(1, note.id());
                ps.setString(2, note.sessionId());
                ps.setString(3, note.connectorId());
                ps.setString(4, note.authorId());
                ps.setString(5, note.authorName());
                ps.setString(6, note.text());
                ps.setLong(7, note.createdAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<DeskNote> bySession(String sessionId) {
        try (Connection c = readers.getConnection(); PreparedStatement ps = c.prepareStatement(DeskNoteSql.BY_SESSION)) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                List<DeskNote> notes = new ArrayList<>();
                while (rs.next()) {
                    notes.add(new DeskNote(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                }
                return notes;
            }
        } catch (SQLException e) {
            throw new StoreException("notes of session " + sessionId + " failed: " + e.getMessage(), e);
        }
    }
}
