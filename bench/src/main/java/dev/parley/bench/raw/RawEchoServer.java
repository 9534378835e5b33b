package dev.parley.bench.raw;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.ServerSocket;

/**
 * The baseline of the load benchmark: a plain Vert.x WebSocket echo with nothing durable behind it.
 * One {@link RawEchoVerticle} (one {@code HttpServer}) per event loop and as many event loops as
 * cores, so it shows what the box and Vert.x can do at best. Prints {@code listening on PORT} once ready.
 */
public final class RawEchoServer {
    private RawEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 1 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 0;
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        // Vert.x shares one port among the servers of a deployment's instances, but port 0 would give
        // each its own, so a free port is picked first.
        int actual = port != 0 ? port : freePort();
        vertx.deployVerticle(() -> new RawEchoVerticle(actual), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("raw echo listening on " + actual + " with " + loops + " event loops"))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
