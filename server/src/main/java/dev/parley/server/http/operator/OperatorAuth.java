package dev.parley.server.http.operator;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.Strikes;
import dev.parley.server.http.ErrorResponses;
import dev.parley.server.http.desk.ClientAddress;
import dev.parley.server.operator.OperatorKeys;
import dev.parley.server.store.ApiKey;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <operator API key>} on every operator route. Keys are checked
 * against the node's snapshot (no store read, on the event loop). A missing or wrong key is 401
 * and costs the client address one strike; once an address has used up its strikes it gets 429
 * with {@code Retry-After} on every operator route, before any key is looked at, so keys cannot be
 * guessed at speed (they are 256 random bits anyway).
 */
final class OperatorAuth {
    static final String MISSING = "missing operator API key";
    static final String INVALID = "invalid operator API key";
    static final String TOO_MANY = "too many invalid operator API keys; try again later";

    private final OperatorKeys keys;
    private final Strikes<String> failures;

    OperatorAuth(OperatorKeys keys, Strikes<String> failures) {
        this.keys = keys;
        this.failures = failures;
    }

    /** The caller's key, or empty after answering 401 or 429. */
    Optional<ApiKey> authenticate(RoutingContext ctx) {
        String address = ClientAddress.of(ctx.request());
        if (failures.check(address) instanceof RateDecision.Limited limited) {
            ErrorResponses.tooMany(ctx.response(), TOO_MANY, limited.retryAfterSeconds());
            return Optional.empty();
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            failures.strike(address);
            refuse(ctx, MISSING);
            return Optional.empty();
        }
        Optional<ApiKey> key = keys.authenticate(authorization.substring(7).trim());
        if (key.isEmpty()) {
            failures.strike(address);
            refuse(ctx, INVALID);
        }
        return key;
    }

    private static void refuse(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"parley-operator\"");
        ErrorResponses.send(ctx.response(), 401, message);
    }
}
