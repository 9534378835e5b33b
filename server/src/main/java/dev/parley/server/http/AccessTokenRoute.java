package dev.parley.server.http;

import dev.parley.protocol.ErrorMessages;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.AuthResult;
import dev.parley.server.auth.ConnectorAuthenticator;
import dev.parley.server.auth.IssuedToken;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.limits.RateLimit;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/access-token} (PROTOCOL.md §2.1). The body is ignored (§13.20). */
final class AccessTokenRoute {
    private static final Logger LOG = LoggerFactory.getLogger(AccessTokenRoute.class);

    private final ConnectorAuthenticator connectors;
    private final AccessTokens tokens;
    private final RateLimit limiter;

    AccessTokenRoute(ConnectorAuthenticator connectors, AccessTokens tokens, RateLimit limiter) {
        this.connectors = connectors;
        this.tokens = tokens;
        this.limiter = limiter;
    }

    void handle(RoutingContext ctx) {
        String xToken = ctx.request().getHeader("X-Token");
        String xHost = ctx.request().getHeader("X-Host");
        if (xToken != null) {
            // Per connector token AND client address: the connector token is public (it is in every page
            // that embeds the widget), so a bucket per token alone would let one visitor spend every
            // other visitor's budget.
            // Shared by all nodes with the Redis fan-out; the answer comes back on this request's context.
            limiter.tryAcquire(xToken + "|" + clientAddress(ctx)).onComplete(decided -> {
                if (decided.succeeded() && decided.result() instanceof RateDecision.Limited limited) {
                    ErrorResponses.tooMany(ctx.response(), "Rate limit exceeded", limited.retryAfterSeconds());
                } else {
                    authenticate(ctx, xToken, xHost);
                }
            });
            return;
        }
        authenticate(ctx, xToken, xHost);
    }

    private void authenticate(RoutingContext ctx, String xToken, String xHost) {
        // Most requests carry a connector token already read: answered here, no worker hop.
        Optional<AuthResult> known = connectors.authenticateFromMemory(xToken, xHost);
        if (known.isPresent()) {
            answer(ctx, known.get());
            return;
        }
        ctx.vertx().executeBlocking(() -> connectors.authenticate(xToken, xHost), false).onComplete(result -> {
            if (result.failed()) {
                LOG.error("connector lookup failed", result.cause());
                ErrorResponses.send(ctx.response(), 500, ErrorMessages.ACCESS_TOKEN_FAILED);
                return;
            }
            answer(ctx, result.result());
        });
    }

    private void answer(RoutingContext ctx, AuthResult auth) {
        if (auth instanceof AuthResult.Refused refused) {
            ErrorResponses.send(ctx.response(), refused.httpStatus(), refused.message());
            return;
        }
        var connector = ((AuthResult.Authenticated) auth).connector();
        IssuedToken issued;
        try {
            issued = tokens.issue(connector);
        } catch (RuntimeException e) {
            LOG.error("cannot sign an access token", e);
            ErrorResponses.send(ctx.response(), 500, ErrorMessages.ACCESS_TOKEN_FAILED);
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject()
                        .put("access_token", issued.token())
                        .put("expires_in", issued.expiresInSeconds())
                        .put("token_type", "Bearer")
                        .encode());
    }

    private static String clientAddress(RoutingContext ctx) {
        var address = ctx.request().remoteAddress();
        return address == null || address.host() == null ? "unknown" : address.host();
    }
}
