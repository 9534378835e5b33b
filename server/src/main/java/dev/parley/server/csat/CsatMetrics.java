package dev.parley.server.csat;

/** Where a stored rating is counted (per queue and agent); the metrics package binds it to Micrometer. */
public interface CsatMetrics {
    CsatMetrics NONE = rating -> { };

    void rated(CsatRating rating);

    /** This, then {@code next}. */
    default CsatMetrics andThen(CsatMetrics next) {
        return rating -> {
            rated(rating);
            next.rated(rating);
        };
    }
}
