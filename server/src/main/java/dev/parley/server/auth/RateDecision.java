package dev.parley.server.auth;

/** Whether a rate-limited action may go ahead now (PROTOCOL.md §2.3, §13.26). */
public sealed interface RateDecision {
    RateDecision ALLOWED = new Allowed();

    default boolean allowed() {
        return this instanceof Allowed;
    }

    /** Go ahead. */
    record Allowed() implements RateDecision {
    }

    /** Not now; {@code retryAfterSeconds} (at least 1) is the value for the {@code Retry-After} header. */
    record Limited(long retryAfterSeconds) implements RateDecision {
        public Limited {
            if (retryAfterSeconds < 1) {
                throw new IllegalArgumentException("retryAfterSeconds must be at least 1");
            }
        }
    }
}
