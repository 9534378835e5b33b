package dev.parley.server.http.operator;

import dev.parley.server.operator.ListingCursor;
import dev.parley.server.store.SessionQuery;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The query parameters of {@code GET /api/v1/operator/sessions}; a bad one is an
 * {@link IllegalArgumentException} whose message, naming the parameter, is the 400's error.
 */
final class ListingParameters {
    private static final Set<String> KNOWN = Set.of("connector_id", "created_after", "created_before", "state",
            "handoff", "live_agent_id", "cursor", "limit");

    private ListingParameters() {
    }

    static SessionQuery parse(MultiMap params, int defaultLimit, int maxLimit) {
        for (String name : params.names()) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown parameter " + name);
            }
        }
        String cursor = params.get("cursor");
        SessionQuery.Position after = null;
        if (cursor != null) {
            after = ListingCursor.decode(cursor).orElseThrow(() -> new IllegalArgumentException("cursor is not valid"));
        }
        return new SessionQuery(blankToNull(params.get("connector_id")),
                instant(params.get("created_after"), "created_after"),
                instant(params.get("created_before"), "created_before"),
                state(params.get("state")),
                bool(params.get("handoff"), "handoff"),
                blankToNull(params.get("live_agent_id")),
                after,
                limit(params.get("limit"), defaultLimit, maxLimit));
    }

    static int limit(String value, int defaultLimit, int maxLimit) {
        if (value == null) {
            return defaultLimit;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= maxLimit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("limit must be between 1 and " + maxLimit);
    }

    static long nonNegativeLong(String value, String name, long defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(name + " must be a non-negative integer");
    }

    private static Instant instant(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    private static Boolean state(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "open" -> false;
            case "ended" -> true;
            default -> throw new IllegalArgumentException("state must be open or ended");
        };
    }

    private static Boolean bool(String value, String name) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false");
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
