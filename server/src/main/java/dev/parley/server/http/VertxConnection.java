package dev.parley.server.http;

import dev.parley.server.session.CloseCodes;
import dev.parley.server.session.Connection;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Connection} over a Vert.x WebSocket. Writes may come from any thread (Vert.x hands them
 * to the socket's event loop). The socket's write queue is the bounded outbox: when a client reads
 * slower than its session produces, the queue fills and the connection is closed rather than
 * letting memory grow or stalling the session.
 */
final class VertxConnection implements Connection {
    /** Room for a full replay burst (several 128 KB batches) before a client counts as slow. */
    static final int OUTBOX_BYTES = 16 * 1024 * 1024;
    private static final AtomicLong IDS = new AtomicLong();

    private final ServerWebSocket socket;
    private final String id;
    /** Set once we decided to close; frames still arriving after that are not processed. */
    private volatile boolean closing;

    VertxConnection(ServerWebSocket socket, String sessionId) {
        this.socket = socket;
        this.id = sessionId + "#" + IDS.incrementAndGet();
        socket.setWriteQueueMaxSize(OUTBOX_BYTES);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String frame) {
        if (isClosing()) {
            return;
        }
        if (socket.writeQueueFull()) {
            close(CloseCodes.POLICY_VIOLATION, "slow consumer: outbox full");
            return;
        }
        socket.writeTextMessage(frame);
    }

    /** True once the server started closing this socket. */
    boolean isClosing() {
        return closing || socket.isClosed();
    }

    /** The transport already answered a broken frame with a close frame (see {@link FrameViolationCloser}). */
    void refusedByTransport() {
        closing = true;
    }

    @Override
    public void close(int code, String reason) {
        closing = true;
        if (!socket.isClosed()) {
            socket.close((short) code, reason);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
