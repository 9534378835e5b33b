package dev.parley.server.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * One HTTP server on one event loop. A node deploys one instance per event loop, all on the same
 * port: Vert.x binds the port once and deals accepted connections out to the instances in turn, so
 * every connection — its requests and, once upgraded, its WebSocket frames — stays on the loop that
 * accepted it, and the loops share the work. The handlers are shared by all instances, so whatever
 * state they keep is per node and must be thread-safe (limiters, the stop gate, the registry are).
 */
public final class HttpListener extends VerticleBase {
    private final HttpServerOptions options;
    private final Handler<HttpConnection> onConnection;
    private final Handler<HttpServerRequest> onRequest;
    /** Written on this instance's event loop once it listens; read after its deployment completed. */
    private volatile int actualPort;

    public HttpListener(HttpServerOptions options, Handler<HttpConnection> onConnection,
                        Handler<HttpServerRequest> onRequest) {
        this.options = new HttpServerOptions(options); // each instance its own copy
        this.onConnection = onConnection;
        this.onRequest = onRequest;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(options)
                .connectionHandler(onConnection)
                .requestHandler(onRequest)
                .listen()
                .onSuccess(server -> actualPort = server.actualPort());
    }

    /** The port this instance listens on (the real one when it was asked for port 0). */
    public int actualPort() {
        return actualPort;
    }
}
