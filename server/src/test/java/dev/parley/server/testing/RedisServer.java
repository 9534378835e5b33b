package dev.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis (embedded-redis's redis-server 6.2) on a free loopback port, started once per test
 * class: {@code @RegisterExtension static final RedisServer redis = new RedisServer();}. A test may
 * {@link #stop()} and {@link #start()} it to play an outage; it comes back on the same port, empty.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {
    private final int port = freePort();
    /** Touched by the test thread only. */
    private redis.embedded.RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts redis-server and returns once it accepts connections; a no-op while it runs. */
    public void start() {
        if (server != null) {
            return;
        }
        try {
            server = redis.embedded.RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"") // nothing on disk: a restart comes back empty
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            server = null;
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
    }

    /** Stops redis-server; clients see their connections end. */
    public void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, the form {@code fanout.url} takes. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
