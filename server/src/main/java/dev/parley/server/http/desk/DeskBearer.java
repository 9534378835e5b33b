package dev.parley.server.http.desk;

import java.util.Optional;

/** The desk token of a request: {@code Authorization: Bearer <token>} (REST) or {@code ?token=} (WebSocket). */
final class DeskBearer {
    static final String INVALID = "invalid desk token";

    private DeskBearer() {
    }

    static Optional<String> fromHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    static Optional<String> fromQuery(String token) {
        return token == null || token.isBlank() ? Optional.empty() : Optional.of(token.trim());
    }
}
