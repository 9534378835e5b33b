package dev.parley.server.store.postgres;

import static dev.parley.server.store.postgres.Jdbc.instant;
import static dev.parley.server.store.postgres.Jdbc.setInstant;

import dev.parley.server.desk.notes.DeskNote;
import dev.parley.server.desk.notes.NoteStore;
import dev.parley.server.store.DeskNoteSql;
import java.util.List;

/** {@link NoteStore} on PostgreSQL, through the store's pool: every node reads the same notes. */
final class PostgresNoteStore implements NoteStore {
    private final Jdbc jdbc;

    PostgresNoteStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(DeskNote note) {
        jdbc.update("note on session " + note.sessionId(), DeskNoteSql.INSERT, ps -> {
            ps.setString(1, note.id());
            ps.setString(2, note.sessionId());
            ps.setString(3, note.connectorId());
            ps.setString(4, note.authorId());
            ps.setString(5, note.authorName());
            ps.setString(6, note.text());
            setInstant(ps, 7, note.createdAt());
        });
    }

    @Override
    public List<DeskNote> bySession(String sessionId) {
        return jdbc.query("notes of session " + sessionId, DeskNoteSql.BY_SESSION, ps -> ps.setString(1, sessionId),
                rs -> new DeskNote(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), instant(rs, 7)));
    }
}
