package dev.parley.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.AccessClaims;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.RateLimiter;
import dev.parley.server.session.SessionRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/sessions} (PROTOCOL.md §2.2, validation per §13.19). */
final class SessionsRoute {
    private static final Logger LOG = LoggerFactory.getLogger(SessionsRoute.class);
    /** One JSON value and nothing after it: {@code {} trailing} is not a valid body. */
    private static final ObjectReader STRICT = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> PLATFORMS = Set.of("web", "ios", "android", "ios-web", "android-web", "custom");

    private final AccessTokens tokens;
    private final SessionRegistry sessions;
    private final RateLimiter<String> limiter;

    SessionsRoute(AccessTokens tokens, SessionRegistry sessions, RateLimiter<String> limiter) {
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
        if (limiter.tryAcquire(claims.get().tokenId()) instanceof RateDecision.Limited limited) {
            ErrorResponses.tooMany(ctx.response(), "Rate limit exceeded", limited.retryAfterSeconds());
            return;
        }
        Optional<Options> options = parse(ctx.body().buffer());
        if (options.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, ErrorMessages.PARSE_ERROR);
            return;
        }
        String connectorId = claims.get().connectorId();
        ctx.vertx().executeBlocking(() -> sessions.create(connectorId, options.get().platform(), options.get().streaming()),
                false).onComplete(result -> {
                    if (result.failed()) {
                        LOG.error("cannot create a session", result.cause());
                        ErrorResponses.send(ctx.response(), 500, ErrorMessages.SESSION_CREATE_FAILED);
                        return;
                    }
                    ctx.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("session_id", result.result().id()).encode());
                });
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
