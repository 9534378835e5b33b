package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The internal notes agents wrote on a conversation, shown with its read-only transcript in the
 * history ({@code "notes"}). The hook for the notes feature: it passes its own implementation to
 * {@link DeskHistory}; until then there are none. May block (called off the event loop).
 */
@FunctionalInterface
public interface HistoryNotes {
    HistoryNotes NONE = sessionId -> List.of();

    /** The session's notes, oldest first, each a JSON object as the notes API will show it. */
    List<JsonNode> notesOf(String sessionId);
}
