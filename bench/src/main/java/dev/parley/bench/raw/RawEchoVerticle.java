package dev.parley.bench.raw;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One HTTP server on its own event loop. It answers the two REST calls with fixed bodies (a no-op,
 * so the REST figure is Vert.x's floor) and, on {@code /ws}, sends one small history batch and then
 * answers each text frame with an echo envelope of about the size of Parley's: id, sequence,
 * timestamp, type, the client's payload and metadata (so {@code client_event_id} comes back).
 * Frames are not parsed as JSON: the baseline is the socket, not a codec.
 */
final class RawEchoVerticle extends VerticleBase {
    private static final String TOKEN_BODY = "{\"access_token\":\"raw\",\"expires_in\":86400,\"token_type\":\"Bearer\"}";
    private static final String BATCH = "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"sequence\":null,"
            + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"type\":\"EVENT_TYPE_EVENT_BATCH\",\"payload\":{\"events\":["
            + "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"sequence\":1,\"timestamp\":\"2026-01-01T00:00:00Z\","
            + "\"type\":\"EVENT_TYPE_SESSION_START\",\"payload\":{\"capabilities\":{\"streaming\":false}}}]}}";

    private final int port;

    RawEchoVerticle(int port) {
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return server(vertx).listen(port);
    }

    private static HttpServer server(Vertx vertx) {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setMaxWebSocketMessageSize(131072);
        return vertx.createHttpServer(options)
                .webSocketHandshakeHandler(handshake -> {
                    if (handshake.path().equals("/ws")) {
                        handshake.accept();
                    } else {
                        handshake.reject(404);
                    }
                })
                .webSocketHandler(RawEchoVerticle::echo)
                .requestHandler(RawEchoVerticle::rest);
    }

    private static void rest(HttpServerRequest request) {
        String body = request.path().endsWith("/access-token") ? TOKEN_BODY
                : "{\"session_id\":\"" + UUID.randomUUID() + "\"}";
        request.response().putHeader("content-type", "application/json").end(body);
    }

    private static void echo(ServerWebSocket socket) {
        socket.writeTextMessage(BATCH);
        long[] sequence = {1}; // touched only on this socket's event loop
        socket.textMessageHandler(frame -> socket.writeTextMessage(envelope(frame, ++sequence[0])));
    }

    /** The client's frame from its payload on, behind a server envelope; the type is kept as sent. */
    static String envelope(String frame, long sequence) {
        int type = frame.indexOf("\"type\"");
        String rest = type < 0 ? "\"payload\":{}}" : frame.substring(type);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "{\"id\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\",\"sequence\":" + sequence
                + ",\"timestamp\":\"" + Instant.now() + "\",\"message_id\":\"msg_" + Long.toHexString(random.nextLong())
                + "\"," + rest;
    }
}
