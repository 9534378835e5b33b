package dev.parley.server.store;

import dev.parley.protocol.EndReason;
import java.time.Instant;

/** A session as stored: who owns it, how it was opened, and whether it ended. */
public record SessionRecord(
        String id,
        String connectorId,
        String platform,
        boolean streaming,
        Instant createdAt,
        Instant endedAt,
        EndReason endReason) {

    public boolean ended() {
        return endedAt != null;
    }

    public static SessionRecord open(String id, String connectorId, String platform, boolean streaming, Instant createdAt) {
        return new SessionRecord(id, connectorId, platform, streaming, createdAt, null, null);
    }
}
