package dev.parley.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.auth.AccessClaims;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.csat.Csat;
import dev.parley.server.csat.CsatOutcome;
import dev.parley.server.csat.CsatRating;
import dev.parley.server.limits.RateLimit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/sessions/:session_id/csat} and {@code GET} on the same path: the user's 1–5
 * rating of a conversation a live agent had, once it has ended. Authenticated like session creation
 * (PROTOCOL.md §2.2: {@code Authorization: Bearer <access token>}, the same 400/401 answers) with a
 * token of the session's connector, throttled per access token like it. A REST call and not a client
 * event, so no WebSocket client meets an event type it does not know, and it works after
 * {@code SESSION_END}, when the socket is closed. Body {@code {"rating": 1..5, "comment": "..."}}
 * (comment optional, at most 1000 characters) → 201 {@code {"rating", "comment", "created_at"}};
 * once per session (409 after that).
 */
final class CsatRoute {
    private static final Logger LOG = LoggerFactory.getLogger(CsatRoute.class);
    private static final ObjectReader STRICT = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final String NOT_FOUND = "session not found";
    static final String NO_RATING_YET = "no rating given";
    static final String ALREADY_GIVEN = "rating already given";
    static final String NOT_ENDED = "conversation has not ended";
    static final String NO_LIVE_AGENT = "no rating for this conversation";
    static final String BAD_RATING = "rating must be an integer from 1 to 5";
    static final String BAD_COMMENT = "comment must be a string of at most " + CsatRating.MAX_COMMENT_CHARS + " characters";

    private final AccessTokens tokens;
    private final Csat csat;
    private final RateLimit limiter;

    CsatRoute(AccessTokens tokens, Csat csat, RateLimit limiter) {
        this.tokens = tokens;
        this.csat = csat;
        this.limiter = limiter;
    }

    /** What a valid body asks to store. */
    private record Request(int rating, String comment) {
    }

    void give(RoutingContext ctx) {
        authorized(ctx, claims -> {
            JsonNode body = parse(ctx.body().buffer());
            if (body == null) {
                ErrorResponses.send(ctx.response(), 400, ErrorMessages.PARSE_ERROR);
                return;
            }
            JsonNode rating = body.get("rating");
            if (rating == null || !rating.isIntegralNumber() || !rating.canConvertToInt()
                    || !CsatRating.validRating(rating.intValue())) {
                ErrorResponses.send(ctx.response(), 400, BAD_RATING);
                return;
            }
            JsonNode comment = body.get("comment");
            if (comment != null && !comment.isNull()
                    && !(comment.isTextual() && CsatRating.validComment(comment.textValue()))) {
                ErrorResponses.send(ctx.response(), 400, BAD_COMMENT);
                return;
            }
            Request request = new Request(rating.intValue(), comment == null || comment.isNull() ? null : comment.textValue());
            String sessionId = ctx.pathParam("session_id");
            blocking(ctx, () -> csat.give(claims.connectorId(), sessionId, request.rating(), request.comment()), outcome -> {
                if (outcome instanceof CsatOutcome.Given given) {
                    LOG.info("session {} rated {} for live agent {}", sessionId, given.rating().rating(), given.rating().agentId());
                    answer(ctx, 201, given.rating());
                } else if (outcome instanceof CsatOutcome.AlreadyGiven) {
                    ErrorResponses.send(ctx.response(), 409, ALREADY_GIVEN);
                } else if (outcome instanceof CsatOutcome.NotEnded) {
                    ErrorResponses.send(ctx.response(), 409, NOT_ENDED);
                } else if (outcome instanceof CsatOutcome.NoLiveAgent) {
                    ErrorResponses.send(ctx.response(), 409, NO_LIVE_AGENT);
                } else {
                    ErrorResponses.send(ctx.response(), 404, NOT_FOUND);
                }
            });
        });
    }

    void read(RoutingContext ctx) {
        authorized(ctx, claims -> blocking(ctx, () -> csat.find(claims.connectorId(), ctx.pathParam("session_id")), found -> {
            ctx.response().putHeader("Cache-Control", "no-store");
            if (found instanceof Csat.Lookup.Session session && session.rating().isPresent()) {
                answer(ctx, 200, session.rating().get());
            } else {
                ErrorResponses.send(ctx.response(), 404, found instanceof Csat.Lookup.Session ? NO_RATING_YET : NOT_FOUND);
            }
        }));
    }

    /** The access token's claims, once it is valid (§2.2's answers otherwise) and within its rate. */
    private void authorized(RoutingContext ctx, Consumer<AccessClaims> then) {
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
        limiter.tryAcquire(claims.get().tokenId()).onComplete(decided -> {
            if (decided.succeeded() && decided.result() instanceof RateDecision.Limited limited) {
                ErrorResponses.tooMany(ctx.response(), "Rate limit exceeded", limited.retryAfterSeconds());
            } else {
                then.accept(claims.get());
            }
        });
    }

    /** The body as a JSON object, or null when it is not one. */
    private static JsonNode parse(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            JsonNode json = STRICT.readValue(body.getBytes());
            return json != null && json.isObject() ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Store work on a worker; the answer on the request's own event loop; a store failure is a 503. */
    private static <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> then) {
        ctx.vertx().executeBlocking(work, false).onComplete(result -> {
            if (result.failed()) {
                LOG.error("CSAT request {} failed", ctx.request().path(), result.cause());
                ErrorResponses.send(ctx.response(), 503, ErrorMessages.SESSION_UNAVAILABLE);
            } else {
                then.accept(result.result());
            }
        });
    }

    private static void answer(RoutingContext ctx, int status, CsatRating rating) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("rating", rating.rating())
                .put("comment", rating.comment())
                .put("created_at", Timestamps.format(rating.createdAt()))
                .encode());
    }
}
