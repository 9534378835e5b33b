package dev.parley.server.http;

import dev.parley.server.session.CloseCodes;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * In front of the router: once the node starts a graceful stop, every new request — REST call or
 * WebSocket upgrade — is answered 503 with {@code Retry-After}, so no new socket can open after the
 * sessions closed theirs with 1012 (and be closed later by Vert.x with a code clients read as
 * "conversation over"). Clients retry, on another node or on this one once it is back.
 *
 * <p>A WebSocket upgrade is the exception: it is accepted and the socket closed at once with 1012.
 * PolyAI's official SDKs read any refused upgrade (a close before the socket opened, whatever the
 * HTTP status) as an invalid session and start a brand-new one, which would throw away a
 * conversation that the next node resumes; a 1012 close after the open makes them reconnect to the
 * same session with back-off, as PROTOCOL.md §3.6 asks.
 */
public final class StopGate implements Handler<HttpServerRequest> {
    static final String RESTARTING = "server restarting";
    private static final String RETRY_AFTER_SECONDS = "1";

    private final Handler<HttpServerRequest> next;
    /** Written by the stopping thread, read on event loops. */
    private volatile boolean closed;

    public StopGate(Handler<HttpServerRequest> next) {
        this.next = next;
    }

    /** From now on every request is refused. */
    public void close() {
        closed = true;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (!closed) {
            next.handle(request);
            return;
        }
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            request.toWebSocket().onSuccess(socket -> socket.close((short) CloseCodes.SERVICE_RESTART, RESTARTING));
            return;
        }
        request.response().putHeader("Retry-After", RETRY_AFTER_SECONDS).putHeader("Connection", "close");
        ErrorResponses.send(request.response(), 503, RESTARTING);
    }
}
