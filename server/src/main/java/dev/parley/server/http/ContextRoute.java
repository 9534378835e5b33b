package dev.parley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.AccessClaims;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.ContextTokenVerifier;
import dev.parley.server.auth.ContextVerdict;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.limits.RateLimit;
import dev.parley.server.session.ContextTarget;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.session.VerifiedContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/sessions/:session_id/context}: the client hands over a verified-context
 * token its site's backend signed for the session's {@code context_id} (from {@code SESSION_START}),
 * authenticated like session creation with the access token of the session's connector, body
 * {@code {"token": "<jwt>"}}. 200 {@code {"context_id", "verified": true, "keys": [...]}} once the
 * context is stored; a refused token is 422 with the refusal in the documented error body, and
 * changes nothing. Either way the conversation goes on (it fails open): nothing here touches the
 * WebSocket, and the agents simply keep the context they had. The token and the values are never logged.
 * On several nodes it works through any node: where another node owns the session, the context is
 * stored directly and the owner reads it before its next agent turn ({@code SessionRegistry#contextTarget}).
 */
final class ContextRoute {
    private static final Logger LOG = LoggerFactory.getLogger(ContextRoute.class);
    static final String SESSION_ENDED = "Error: Session has ended";
    static final String MISSING_TOKEN = "Error: Body must be {\"token\": \"<context JWT>\"}";

    private final AccessTokens tokens;
    private final SessionRegistry sessions;
    private final ContextTokenVerifier verifier;
    private final RateLimit limiter;
    private final Clock clock;

    ContextRoute(AccessTokens tokens, SessionRegistry sessions, ContextTokenVerifier verifier,
                 RateLimit limiter, Clock clock) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.verifier = verifier;
        this.limiter = limiter;
        this.clock = clock;
    }

    void handle(RoutingContext ctx) {
        Optional<AccessClaims> claims = bearer(ctx);
        if (claims.isEmpty()) {
            return;
        }
        limiter.tryAcquire(claims.get().tokenId()).onComplete(decided -> {
            if (decided.succeeded() && decided.result() instanceof RateDecision.Limited limited) {
                ErrorResponses.tooMany(ctx.response(), "Rate limit exceeded", limited.retryAfterSeconds());
            } else {
                submit(ctx, claims.get());
            }
        });
    }

    private void submit(RoutingContext ctx, AccessClaims claims) {
        Optional<String> token = token(ctx);
        if (token.isEmpty()) {
            ErrorResponses.send(ctx.response(), 400, MISSING_TOKEN);
            return;
        }
        String sessionId = ctx.pathParam("session_id");
        Future.fromCompletionStage(sessions.contextTarget(sessionId), ctx.vertx().getOrCreateContext()).onComplete(found -> {
            if (found.failed()) {
                ErrorResponses.send(ctx.response(), 503, ErrorMessages.SESSION_UNAVAILABLE);
                return;
            }
            // Another connector's session is "not found": its existence is none of this caller's business.
            Optional<ContextTarget> actor = found.result()
                    .filter(a -> a.record().connectorId().equals(claims.connectorId()));
            if (actor.isEmpty() || actor.get().contextId() == null) {
                ErrorResponses.send(ctx.response(), 404, ErrorMessages.SESSION_NOT_FOUND);
                return;
            }
            if (actor.get().isEnded()) {
                ErrorResponses.send(ctx.response(), 409, SESSION_ENDED);
                return;
            }
            verifyAndStore(ctx, actor.get(), token.get());
        });
    }

    private void verifyAndStore(RoutingContext ctx, ContextTarget actor, String token) {
        // The verifier reads the connector's keys from the store: off the event loop.
        ctx.vertx().executeBlocking(() -> verifier.verify(token, actor.record().connectorId(), actor.contextId()), false)
                .onComplete(checked -> {
                    if (checked.failed()) {
                        LOG.error("cannot check a context token of session {}", actor.record().id(), checked.cause());
                        ErrorResponses.send(ctx.response(), 503, ErrorMessages.SESSION_UNAVAILABLE);
                    } else if (checked.result() instanceof ContextVerdict.Refused refused) {
                        LOG.info("context token refused for session {}: {}", actor.record().id(), refused.reason());
                        ErrorResponses.send(ctx.response(), 422, refused.reason().message());
                    } else {
                        store(ctx, actor, (ContextVerdict.Accepted) checked.result());
                    }
                });
    }

    private void store(RoutingContext ctx, ContextTarget actor, ContextVerdict.Accepted accepted) {
        VerifiedContext context = new VerifiedContext(accepted.context(), accepted.json(), accepted.keyId(),
                clock.instant());
        Future.fromCompletionStage(actor.replaceContext(context), ctx.vertx().getOrCreateContext()).onComplete(done -> {
            if (done.failed()) {
                LOG.error("cannot store the verified context of session {}", actor.record().id(), done.cause());
                ErrorResponses.send(ctx.response(), 503, ErrorMessages.SESSION_UNAVAILABLE);
            } else if (!done.result()) {
                ErrorResponses.send(ctx.response(), 409, SESSION_ENDED);
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("context_id", actor.contextId())
                        .put("verified", true)
                        .put("keys", new JsonArray(java.util.List.copyOf(accepted.context().keySet())))
                        .encode());
            }
        });
    }

    /** The access token's claims, or empty after answering as §2.2 does. */
    private Optional<AccessClaims> bearer(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null) {
            ErrorResponses.send(ctx.response(), 400, ErrorMessages.MISSING_ACCESS_TOKEN);
            return Optional.empty();
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            ErrorResponses.send(ctx.response(), 401, ErrorMessages.MISSING_AUTH_HEADERS);
            return Optional.empty();
        }
        Optional<AccessClaims> claims = tokens.verify(authorization.substring(7).trim());
        if (claims.isEmpty()) {
            ErrorResponses.send(ctx.response(), 401, ErrorMessages.INVALID_ACCESS_TOKEN);
        }
        return claims;
    }

    private static Optional<String> token(RoutingContext ctx) {
        if (ctx.body().buffer() == null) {
            return Optional.empty();
        }
        try {
            JsonNode json = Json.MAPPER.readTree(ctx.body().buffer().getBytes());
            JsonNode token = json == null ? null : json.get("token");
            return token != null && token.isTextual() && !token.textValue().isBlank()
                    ? Optional.of(token.textValue()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
