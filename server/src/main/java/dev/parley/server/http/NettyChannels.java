package dev.parley.server.http;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The one place that reaches below Vert.x's public API, to the Netty channel of an HTTP connection.
 * Vert.x 5 offers no public hook for what Parley needs there (a close frame the client can read
 * after a refused frame, {@link FrameViolationCloser}; read timeouts that spare upgraded sockets,
 * {@link HttpReadTimeouts}). Every Vert.x 5 server connection is a {@code ConnectionBase}; the tests
 * of both handlers fail loudly if an upgrade changes that.
 */
final class NettyChannels {
    private NettyChannels() {
    }

    static Channel of(HttpConnection connection) {
        return ((ConnectionBase) connection).channel();
    }
}
