package dev.parley.server.desk;

import java.time.Instant;

/**
 * A handoff asked for outside business hours: the user's following messages are kept for the team,
 * who see it in the desk's offline list until an agent marks it handled.
 *
 * @param handledBy agent id, null while open
 */
public record OfflineConversation(String sessionId, String connectorId, String queue, Instant createdAt,
                                  Instant handledAt, String handledBy) {

    public static OfflineConversation opened(String sessionId, String connectorId, String queue, Instant at) {
        return new OfflineConversation(sessionId, connectorId, queue, at, null, null);
    }

    public boolean handled() {
        return handledAt != null;
    }
}
