package dev.parley.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.AccessClaims;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.limits.RateLimit;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.JournalFullException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/sessions} (PROTOCOL.md §2.2, validation per §13.19). */
final class SessionsRoute {
    private static final Logger LOG = LoggerFactory.getLogger(SessionsRoute.class);
    /** One JSON value and nothing after it: {@code {} trailing} is not a valid body. */
    private static final ObjectReader STRICT = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The journal drains thousands of appends a second: a second is long enough to find room. */
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final Set<String> PLATFORMS = Set.of("web", "ios", "android", "ios-web", "android-web", "custom");

    private final AccessTokens tokens;
    private final SessionRegistry sessions;
    private final RateLimit limiter;

    SessionsRoute(AccessTokens tokens, SessionRegistry sessions, RateLimit limiter) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.limiter = limiter;
    }

    /** What the optional body asks for. */
    private record Options(String platform, boolean streaming) {
        static final Options DEFAULT = new Options("web", false);
    }

    void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null) {
            ErrorResponses.send(ctx.response(), 400, ErrorMessages.MISSING_ACCESS_TOKEN);
            return;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            ErrorResponses.send(ctx.response(), 401, ErrorMessages.MISSING_AUTH_HEADERS);
            return;
        }
        Optional<AccessClaims> claims = tokens.verify(authorization.substring(7).trim());
        if (claims.isEmpty()) {
            ErrorResponses.send(ctx.response(), 401, ErrorMessages.INVALID_ACCESS_TOKEN);
            return;
        }
        String connectorId = claims.get().connectorId();
        limiter.tryAcquire(claims.get().tokenId()).onComplete(decided -> {
            if (decided.succeeded() && decided.result() instanceof RateDecision.Limited limited) {
                ErrorResponses.tooMany(ctx.response(), "Rate limit exceeded", limited.retryAfterSeconds());
            } else {
                create(ctx, connectorId);
            }
        });
    }

    private void create(RoutingContext ctx, String connectorId) {
        Optional<Options> options = parse(ctx.body().buffer());
        if (options.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, ErrorMessages.PARSE_ERROR);
            return;
        }
        // No thread waits for the commit: the journal completes the stage, Vert.x brings the
        // outcome back to this request's event loop, and only then is the 200 sent (durable first).
        Future.fromCompletionStage(sessions.create(connectorId, options.get().platform(), options.get().streaming()),
                ctx.vertx().getOrCreateContext()).onComplete(result -> {
                    if (result.failed()) {
                        answerFailure(ctx, result.cause());
                        return;
                    }
                    ctx.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("session_id", result.result().id()).encode());
                });
    }

    /**
     * A full journal queue is load, not a failure: 503 with {@code Retry-After} (the node as a whole
     * is busy, which is not what 429 tells a client about its own rate), with §2.2's message so
     * clients that read only the text still retry. Anything else is §2.2's 500.
     */
    private static void answerFailure(RoutingContext ctx, Throwable cause) {
        Throwable failure = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (failure instanceof JournalFullException) {
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
            ErrorResponses.send(ctx.response(), 503, ErrorMessages.SESSION_CREATE_FAILED);
            return;
        }
        LOG.error("cannot create a session", failure);
        ErrorResponses.send(ctx.response(), 500, ErrorMessages.SESSION_CREATE_FAILED);
    }

    /** Empty when the body is not what §2.2 allows; an absent or blank body means the defaults. */
    private static Optional<Options> parse(Buffer body) {
        if (body == null || body.toString().isBlank()) {
            return Optional.of(Options.DEFAULT);
        }
        JsonNode json;
        try {
            json = STRICT.readValue(body.getBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        JsonNode streaming = json.get("streaming_enabled");
        JsonNode platform = json.get("platform");
        if (streaming != null && !streaming.isNull() && !streaming.isBoolean()) {
            return Optional.empty();
        }
        if (platform != null && !platform.isNull() && !(platform.isTextual() && PLATFORMS.contains(platform.textValue()))) {
            return Optional.empty();
        }
        return Optional.of(new Options(
                platform == null || platform.isNull() ? "web" : platform.textValue(),
                streaming != null && streaming.asBoolean(false)));
    }
}
