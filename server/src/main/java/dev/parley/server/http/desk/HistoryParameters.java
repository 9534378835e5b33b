package dev.parley.server.http.desk;

import dev.parley.server.store.HistoryQuery;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The query string of {@code GET /desk/api/history}: {@code q, queue, agent, from, to, cursor,
 * limit}. {@code from}/{@code to} are RFC 3339 instants or UTC dates ({@code to} a date: through the
 * end of that day). The cursor is opaque to clients: base64url of {@code <ended_at millis>:<session id>}.
 */
record HistoryParameters(String text, String queue, String agentId, Instant from, Instant until,
                         HistoryQuery.Position after, int limit) {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MAX_TEXT = 200;

    /** The parameters, or an {@link IllegalArgumentException} saying which one is wrong (a 400). */
    static HistoryParameters parse(MultiMap params) {
        String text = blankToNull(params.get("q"));
        if (text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("q must be at most " + MAX_TEXT + " characters");
        }
        int limit = DEFAULT_LIMIT;
        String l = params.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
            }
        }
        return new HistoryParameters(text, blankToNull(params.get("queue")), blankToNull(params.get("agent")),
                time("from", params.get("from"), false), time("to", params.get("to"), true),
                position(params.get("cursor")), limit);
    }

    static String cursor(Instant endedAt, String sessionId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((endedAt.toEpochMilli() + ":" + sessionId).getBytes(StandardCharsets.UTF_8));
    }

    private static HistoryQuery.Position position(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new HistoryQuery.Position(Instant.ofEpochMilli(Long.parseLong(decoded.substring(0, colon))),
                    decoded.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor is not one this server gave");
        }
    }

    private static Instant time(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date (YYYY-MM-DD) or an RFC 3339 instant");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
