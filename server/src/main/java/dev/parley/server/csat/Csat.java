package dev.parley.server.csat;

import dev.parley.server.store.SessionStore;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Giving and reading a conversation's rating on behalf of a connector (the caller's access token
 * names it). Validation of the values is the caller's ({@link CsatRating#validRating}); the rules
 * about which conversation may be rated are the store's, in its transaction. Blocks on the store.
 */
public final class Csat {
    private final CsatStore store;
    private final SessionStore sessions;
    private final CsatMetrics metrics;
    private final Clock clock;
    private final Supplier<String> eventIds;

    public Csat(CsatStore store, SessionStore sessions, CsatMetrics metrics, Clock clock, Supplier<String> eventIds) {
        this.store = store;
        this.sessions = sessions;
        this.metrics = metrics;
        this.clock = clock;
        this.eventIds = eventIds;
    }

    public CsatOutcome give(String connectorId, String sessionId, int rating, String comment) {
        if (!CsatRating.validRating(rating) || !CsatRating.validComment(comment)) {
            throw new IllegalArgumentException("rating or comment out of range");
        }
        CsatOutcome outcome = store.give(connectorId, sessionId, rating, CsatRating.normalizedComment(comment),
                clock.instant(), eventIds.get());
        if (outcome instanceof CsatOutcome.Given given) {
            metrics.rated(given.rating()); // once per stored rating: a refused second one counts nothing
        }
        return outcome;
    }

    /** What a connector may know of a session's rating. */
    public sealed interface Lookup {
        /** No such session for this connector. */
        record NoSession() implements Lookup {
        }

        /** The connector's session, rated or not. */
        record Session(Optional<CsatRating> rating) implements Lookup {
        }
    }

    public Lookup find(String connectorId, String sessionId) {
        boolean theirs = sessions.findSession(sessionId).filter(s -> s.connectorId().equals(connectorId)).isPresent();
        return theirs ? new Lookup.Session(store.find(sessionId)) : new Lookup.NoSession();
    }
}
