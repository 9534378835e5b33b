package dev.parley.server.http;

import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.codec.ClientEventDecoder;
import dev.parley.protocol.codec.Decoded;
import dev.parley.server.auth.AccessClaims;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.HandshakeFailures;
import dev.parley.server.limits.HandshakeThrottle;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.session.CloseCodes;
import dev.parley.server.session.ConnectionSlot;
import dev.parley.server.session.SessionActor;
import dev.parley.server.session.SessionEndpoint;
import dev.parley.server.session.SessionFollower;
import dev.parley.server.session.SessionRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws}: the WebSocket path, in the order its checks happen (PROTOCOL.md §3):
 * parameters → access token → failure throttle → session → same connector → connection slot → upgrade →
 * replay, then every frame: decode → validate → the session's actor. Refusals are HTTP responses to the
 * upgrade request (§3.2), so a refused client never sees an event. A 401 or 404 counts against the
 * client's address and token ({@link HandshakeFailures}): the session id is the capability, so
 * guessing it is throttled before any lookup.
 */
final class WebSocketRoute {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketRoute.class);

    private final AccessTokens tokens;
    private final SessionRegistry sessions;
    private final ClientEventDecoder decoder;
    private final HandshakeThrottle failures;
    private final OutboundBudget outbound;

    WebSocketRoute(AccessTokens tokens, SessionRegistry sessions, ClientEventDecoder decoder, HandshakeThrottle failures,
                   OutboundBudget outbound) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.decoder = decoder;
        this.failures = failures;
        this.outbound = outbound;
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            ErrorResponses.send(ctx.response(), 400, "expected a WebSocket upgrade"); // §13.30
            return;
        }
        String sessionId = request.getParam("session_id");
        String token = request.getParam("access_token");
        if (isBlank(sessionId) || isBlank(token)) {
            ErrorResponses.send(ctx.response(), 400, ErrorMessages.WS_INVALID_PARAMETERS);
            return;
        }
        Optional<AccessClaims> claims = tokens.verify(token);
        String address = addressOf(request);
        String tokenKey = HandshakeFailures.tokenKey(claims, token);
        request.pause();
        // The connection's own context, taken here on its event loop: the load may complete on a store
        // thread, where vertx.runOnContext would pick some other event loop, and the upgrade (Netty's
        // handshake, pipeline changes, the first frames) must run on the loop that owns the channel.
        // Off it, replays under load reached JDK clients corrupted (invalid UTF-8, rsv bits set).
        io.vertx.core.Context connectionContext = ctx.vertx().getOrCreateContext();
        // The failure budgets may be shared by all nodes (Redis): their answer comes back on this context.
        failures.check(address, tokenKey).onComplete(checked -> {
            if (checked.succeeded() && checked.result() instanceof RateDecision.Limited limited) {
                ErrorResponses.tooMany(ctx.response(), ErrorMessages.WS_TOO_MANY_FAILURES, limited.retryAfterSeconds());
            } else if (claims.isEmpty()) {
                refuse(ctx, address, tokenKey, 401, ErrorMessages.WS_AUTH_FAILED);
            } else {
                open(ctx, sessionId, claims.get(), address, tokenKey, connectionContext);
            }
        });
    }

    private void open(RoutingContext ctx, String sessionId, AccessClaims claims, String address, String tokenKey,
                      io.vertx.core.Context connectionContext) {
        HttpServerRequest request = ctx.request();
        long cursor = Cursor.parse(request.getParam("cursor"));
        if (cursor < 0) {
            LOG.warn("unreadable cursor {} for session {}: replaying from 0", request.getParam("cursor"), sessionId);
            cursor = 0;
        }
        long replayAfter = cursor;
        sessions.open(sessionId).whenComplete((found, failure) -> connectionContext.runOnContext(v -> {
            if (failure != null) {
                LOG.error("cannot load session {}", sessionId, failure);
                ErrorResponses.send(ctx.response(), 500, ErrorMessages.SESSION_UNAVAILABLE);
            } else if (found.isEmpty()) {
                refuse(ctx, address, tokenKey, 404, ErrorMessages.WS_SESSION_NOT_FOUND);
            } else if (!found.get().record().connectorId().equals(claims.connectorId())) {
                refuse(ctx, address, tokenKey, 401, ErrorMessages.WS_AUTH_FAILED); // §13.18
            } else {
                // The limit counts the session's sockets on every node (issue 11).
                sessions.reserveConnection(found.get()).whenComplete((slot, broken) -> connectionContext.runOnContext(w -> {
                    if (broken != null) {
                        LOG.error("cannot count the connections of session {}", sessionId, broken);
                        ErrorResponses.send(ctx.response(), 500, ErrorMessages.SESSION_UNAVAILABLE);
                    } else if (slot.isEmpty()) {
                        ErrorResponses.tooMany(ctx.response(), ErrorMessages.WS_CONNECTION_LIMIT, 5);
                    } else {
                        upgrade(request, found.get(), replayAfter, slot.get());
                    }
                }));
            }
        }));
    }

    /** Answers a failed handshake once its failure is counted, so the client's next try sees it. */
    private void refuse(RoutingContext ctx, String address, String tokenKey, int status, String message) {
        failures.recordFailure(address, tokenKey).onComplete(counted -> ErrorResponses.send(ctx.response(), status, message));
    }

    private void upgrade(HttpServerRequest request, SessionEndpoint session, long cursor, ConnectionSlot slot) {
        request.toWebSocket().onComplete(result -> {
            if (result.failed()) {
                session.releaseReservation();
                slot.release();
                LOG.debug("upgrade failed for session {}", session.record().id(), result.cause());
                return;
            }
            ServerWebSocket socket = result.result();
            // The guard of issue 11: the upgrade completes on the loop that owns the channel, where the
            // socket's outbox is made (it refuses any other thread) and its frames are written.
            assert NettyChannels.of(request.connection()).eventLoop().inEventLoop()
                    : "upgrade completed off the connection's event loop";
            VertxConnection connection = new VertxConnection(socket, session.record().id(), outbound);
            FrameViolationCloser.install(request.connection(), connection::refusedByTransport); // 1009 / 1002 the client can read
            socket.textMessageHandler(frame -> {
                if (connection.isClosing()) {
                    return;
                }
                if (session instanceof SessionFollower follower) {
                    follower.forward(connection, frame); // another node owns the session (issue 11)
                } else {
                    dispatch((SessionActor) session, connection, decoder.decode(frame));
                }
            });
            socket.binaryMessageHandler(frame -> {
                if (!connection.isClosing()) {
                    session.reject(connection, new Decoded.Rejected(ErrorMessages.INVALID_FORMAT,
                            "binary frames are not supported; send JSON text frames", null));
                }
            });
            socket.exceptionHandler(e -> {
                if (isMessageTooBig(e)) {
                    // §13.11: a message over 128 KB closes the socket with 1009.
                    LOG.debug("socket {} sent a message over the size limit", connection);
                    connection.close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
                } else {
                    LOG.debug("socket {} failed", connection, e);
                }
            });
            socket.closeHandler(v -> {
                connection.closed();
                session.detach(connection);
                slot.release();
            });
            session.attach(connection, cursor);
        });
    }

    private static void dispatch(SessionActor session, VertxConnection connection, Decoded decoded) {
        if (decoded instanceof Decoded.Accepted accepted) {
            session.receive(connection, accepted.event());
        } else {
            session.reject(connection, (Decoded.Rejected) decoded);
        }
    }

    /**
     * Vert.x reports a message whose fragments add up to more than the maximum message size only
     * through the exception handler: it drops what it had buffered and keeps the socket open, and
     * would even hand the message's remaining fragments on as a message of their own. Netty closes
     * with 1009 by itself only for a single oversized frame.
     */
    static boolean isMessageTooBig(Throwable e) {
        return e instanceof IllegalStateException && e.getMessage() != null
                && e.getMessage().contains("overflow max message size");
    }

    /** The peer's IP address; behind a reverse proxy that is the proxy's. */
    private static String addressOf(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.host() == null ? "unknown" : remote.host();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
