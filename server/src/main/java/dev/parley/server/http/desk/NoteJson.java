package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.desk.notes.DeskNote;

/** The JSON of an internal note, as the notes API, the history and the {@code desk.note} message show it. */
final class NoteJson {
    static final String MESSAGE_TYPE = "desk.note";

    private NoteJson() {
    }

    /** {@code {"id", "author": {"id", "name"}, "text", "created_at"}}: no session or connector, the caller knows them. */
    static ObjectNode note(DeskNote note) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("id", note.id());
        node.putObject("author").put("id", note.authorId()).put("name", note.authorName());
        return node.put("text", note.text()).put("created_at", Timestamps.format(note.createdAt()));
    }

    /** {@code {"type": "desk.note", "session_id", "note"}}. */
    static String message(DeskNote note) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", MESSAGE_TYPE).put("session_id", note.sessionId());
        node.set("note", note(note));
        return node.toString();
    }
}
