package dev.parley.server.http.desk;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.limits.StrikeLimit;
import dev.parley.server.desk.DeskPort;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.http.ErrorResponses;
import dev.parley.server.session.CloseCodes;
import dev.parley.server.session.SessionRegistry;
import io.vertx.core.http.HttpServerRequest;
import dev.parley.server.http.FrameViolationCloser;
import dev.parley.server.http.OutboundBudget;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /desk/ws?token=<desk token>}: a bad token is refused with 401 before the upgrade (429 once
 * the client address has presented too many, see {@link DeskGuards}); after
 * it, the socket is one {@link DeskConnection}. Frames are commands; a bad one gets {@code desk.error}
 * and the socket stays open.
 */
final class DeskSocket {
    private static final Logger LOG = LoggerFactory.getLogger(DeskSocket.class);
    private static final String RESTARTING = "server restarting";

    private final DeskAuthenticator auth;
    private final AgentDirectory agents;
    private final DeskPort desk;
    private final SessionRegistry sessions;
    /** Invalid desk tokens per client address, shared with the REST routes. */
    private final StrikeLimit badTokens;
    /** The node's outbound budget, shared with the user sockets. */
    private final OutboundBudget outbound;
    private final ConversationDetails details;
    /** Open desk sockets, so a graceful stop can close them with 1012; touched from event loops and the stopping thread. */
    private final Set<ServerWebSocket> open = ConcurrentHashMap.newKeySet();
    /** Set once by closeAllForRestart; an upgrade finishing after it is closed at once. */
    private volatile boolean closing;
    private final NoteRoutes notes;
    /** Set once before the routes are mounted. */

    DeskSocket(DeskAuthenticator auth, AgentDirectory agents, DeskPort desk, SessionRegistry sessions,
               StrikeLimit badTokens, OutboundBudget outbound, NoteRoutes notes, ConversationDetails details) {
        this.notes = notes;
        this.details = details;
        this.auth = auth;
        this.agents = agents;
        this.desk = desk;
        this.sessions = sessions;
        this.badTokens = badTokens;
        this.outbound = outbound;
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            ErrorResponses.send(ctx.response(), 400, "expected a WebSocket upgrade");
            return;
        }
        Optional<String> token = DeskBearer.fromQuery(request.getParam("token"));
        if (token.isEmpty()) {
            ErrorResponses.send(ctx.response(), 401, DeskBearer.INVALID);
            return;
        }
        String address = ClientAddress.of(request);
        request.pause();
        badTokens.check(address).onComplete(checked -> {
            if (checked.succeeded() && checked.result() instanceof RateDecision.Limited limited) {
                ErrorResponses.tooMany(ctx.response(), DeskGuards.TOO_MANY_BAD_TOKENS, limited.retryAfterSeconds());
            } else {
                resolve(ctx, token.get(), address);
            }
        });
    }

    private void resolve(RoutingContext ctx, String token, String address) {
        HttpServerRequest request = ctx.request();
        ctx.vertx().executeBlocking(() -> auth.agentIdOf(token).flatMap(agents::find), false)
                .onComplete(found -> {
                    if (found.failed()) {
                        LOG.error("desk token check failed", found.cause());
                        ErrorResponses.send(ctx.response(), 500, "desk unavailable");
                    } else if (found.result().isEmpty()) {
                        badTokens.strike(address)
                                .onComplete(counted -> ErrorResponses.send(ctx.response(), 401, DeskBearer.INVALID));
                    } else {
                        upgrade(ctx, found.result().get());
                    }
                });
    }

    private void upgrade(RoutingContext ctx, DeskAgent agent) {
        HttpServerRequest request = ctx.request();
        request.toWebSocket().onComplete(result -> {
            if (result.failed()) {
                LOG.debug("desk upgrade failed for {}", agent.id(), result.cause());
                return;
            }
            ServerWebSocket socket = result.result();
            // An oversized or reserved-bit frame gets a close frame the desk can read (1009 / 1002).
            FrameViolationCloser.install(request.connection(), () -> { });
            // Added before reading the flag, while closeAll sets it before iterating: either way
            // the socket is closed with 1012.
            open.add(socket);
            if (closing) {
                socket.close((short) CloseCodes.SERVICE_RESTART, RESTARTING);
                return;
            }
            DeskConnection connection = new DeskConnection(agent, desk, sessions, new DeskWire(socket, outbound), notes,
                    ctx.vertx(), details);
            socket.textMessageHandler(connection::receive);
            socket.binaryMessageHandler(b -> connection.error("binary frames are not supported; send JSON text frames"));
            socket.exceptionHandler(e -> {
                if (isMessageTooBig(e)) {
                    connection.error("message too big: at most 128 KB");
                } else {
                    LOG.debug("desk socket of {} failed", agent.id(), e);
                }
            });
            socket.closeHandler(v -> {
                open.remove(socket);
                connection.closed();
            });
            connection.open();
        });
    }

    /**
     * The node is stopping: every desk socket is closed with 1012 "service restart", so desk pages
     * reconnect to the restarted node (or another) instead of taking the close as a log-out.
     */
    void closeAllForRestart() {
        closing = true;
        open.forEach(socket -> socket.close((short) CloseCodes.SERVICE_RESTART, RESTARTING));
    }

    /** Vert.x reports a fragmented message over the size limit only here, and keeps the socket open. */
    private static boolean isMessageTooBig(Throwable e) {
        return e instanceof IllegalStateException && e.getMessage() != null
                && e.getMessage().contains("overflow max message size");
    }
}
