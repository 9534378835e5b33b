package dev.parley.server.desk.notes;

import java.util.List;

/**
 * Where internal notes are kept (the {@code desk_notes} table). Erasing a session (operator
 * erasure, retention) deletes its notes with it. Calls block; callers keep them off event loops.
 */
public interface NoteStore {

    /** Stores the note; its session must exist. */
    void add(DeskNote note);

    /** The session's notes, oldest first (ties by id, so the order is stable). */
    List<DeskNote> bySession(String sessionId);
}
