package dev.parley.server.desk.notes;

import java.time.Instant;

/**
 * One internal note. The author's name is the one they had when they wrote it (a renamed agent's
 * old notes keep the name the team saw then). {@code id} is random and never shown to end users.
 */
public record DeskNote(String id, String sessionId, String connectorId, String authorId, String authorName, String text,
                       Instant createdAt) {
}
