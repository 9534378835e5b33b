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
    /**
     * The {@code detail} of the journaled {@code SYSTEM_MESSAGE} that opens an offline conversation: a
     * rebuilt session knows from it that it is one, and the desk shows the user messages after it as
     * the message left for the team.
     */
    public static final String MARKER_DETAIL = "offline conversation: messages sent now are kept for the team";

    public static OfflineConversation opened(String sessionId, String connectorId, String queue, Instant at) {
        return new OfflineConversation(sessionId, connectorId, queue, at, null, null);
    }

    public boolean handled() {
        return handledAt != null;
    }
}
