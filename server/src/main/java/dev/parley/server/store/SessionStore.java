package dev.parley.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sessions. Calls block. */
public interface SessionStore {

    /** Stores a new session and its first event ({@code SESSION_START}) in one transaction. */
    void create(SessionRecord session, StoredEvent sessionStart);

    Optional<SessionRecord> findSession(String sessionId);

    /** Sessions that have not ended, for timers re-armed after a restart. */
    List<SessionRecord> openSessions();

    /** Deletes sessions (and their events) that ended before {@code cutoff}; returns how many. */
    int purgeEndedBefore(Instant cutoff);
}
