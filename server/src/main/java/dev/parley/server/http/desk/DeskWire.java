package dev.parley.server.http.desk;

import dev.parley.server.session.CloseCodes;
import io.vertx.core.http.ServerWebSocket;

/**
 * The write side of one desk socket. Writes may come from any thread (the desk's, a session's);
 * Vert.x hands them to the socket's event loop. The write queue is bounded like a user socket's:
 * a desk that reads slower than its conversations produce is closed (1008) instead of growing memory.
 */
final class DeskWire {
    /** Room for several conversations' history batches at once. */
    static final int OUTBOX_BYTES = 16 * 1024 * 1024;

    private final ServerWebSocket socket;

    DeskWire(ServerWebSocket socket) {
        this.socket = socket;
        socket.setWriteQueueMaxSize(OUTBOX_BYTES);
    }

    void send(String message) {
        if (socket.isClosed()) {
            return;
        }
        if (socket.writeQueueFull()) {
            socket.close((short) CloseCodes.POLICY_VIOLATION, "slow consumer: outbox full");
            return;
        }
        socket.writeTextMessage(message);
    }

    boolean isClosed() {
        return socket.isClosed();
    }
}
