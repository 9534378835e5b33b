package dev.parley.server.operator;

import dev.parley.server.store.SessionQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque {@code cursor} of the conversation listing: the place of the last session of a page
 * ({@code created_at} to the nanosecond, and its id), base64url. Clients pass it back unchanged;
 * its content is not an interface and may change with a version prefix.
 */
public final class ListingCursor {
    private static final String VERSION = "v1";

    private ListingCursor() {
    }

    public static String encode(SessionQuery.Position position) {
        String plain = VERSION + "|" + position.createdAt().getEpochSecond() + "." + position.createdAt().getNano()
                + "|" + position.sessionId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Empty when the value is not a cursor this server wrote. */
    public static Optional<SessionQuery.Position> decode(String cursor) {
        if (cursor == null || cursor.length() > 512) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 3);
            if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
                return Optional.empty();
            }
            String[] time = parts[1].split("\\.", 2);
            if (time.length != 2) {
                return Optional.empty();
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(time[0]), Integer.parseInt(time[1]));
            return Optional.of(new SessionQuery.Position(at, parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
