package dev.parley.server.http.operator;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.Strikes;
import dev.parley.server.http.ErrorResponses;
import dev.parley.server.http.desk.ClientAddress;
import dev.parley.server.operator.OperatorKeys;
import dev.parley.server.store.ApiKey;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Consumer;

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

    /**
     * Hands the caller's key to {@code then}, or answers 401 or 429. A key unknown to this node's
     * snapshot but of the right shape is looked up in the store first (on a worker; the answer
     * continues on the request's own context), so a key issued a moment ago works at once and a
     * client never spends strikes waiting for the next refresh.
     */
    void authenticate(RoutingContext ctx, Consumer<ApiKey> then) {
        String address = ClientAddress.of(ctx.request());
        if (failures.check(address) instanceof RateDecision.Limited limited) {
            ErrorResponses.tooMany(ctx.response(), TOO_MANY, limited.retryAfterSeconds());
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            failures.strike(address);
            refuse(ctx, MISSING);
            return;
        }
        String presented = authorization.substring(7).trim();
        Optional<ApiKey> known = keys.authenticate(presented);
        if (known.isPresent()) {
            then.accept(known.get());
            return;
        }
        if (!keys.looksLikeKey(presented)) {
            failures.strike(address);
            refuse(ctx, INVALID);
            return;
        }
        ctx.vertx().executeBlocking(() -> keys.lookUp(presented), false).onComplete(result -> {
            if (result.succeeded() && result.result().isPresent()) {
                then.accept(result.result().get());
            } else if (result.failed()) {
                ErrorResponses.send(ctx.response(), 503, "store unavailable; try again");
            } else {
                failures.strike(address);
                refuse(ctx, INVALID);
            }
        });
    }

    private static void refuse(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"parley-operator\"");
        ErrorResponses.send(ctx.response(), 401, message);
    }
}
