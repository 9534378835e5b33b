package dev.parley.server.csat;

/** What became of a rating handed to {@link CsatStore#give}. */
public sealed interface CsatOutcome {

    /** Stored (with its webhook rows). */
    record Given(CsatRating rating) implements CsatOutcome {
    }

    /** No such session for this connector (unknown, erased, purged, or another connector's). */
    record NotFound() implements CsatOutcome {
    }

    /** The session has a rating already; the first one stands. */
    record AlreadyGiven() implements CsatOutcome {
    }

    /** The session is still open: a conversation is rated once it is over. */
    record NotEnded() implements CsatOutcome {
    }

    /** No live agent had the conversation (AI only, never assigned, or requeued and left waiting). */
    record NoLiveAgent() implements CsatOutcome {
    }
}
