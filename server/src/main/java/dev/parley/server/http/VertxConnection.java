package dev.parley.server.http;

import dev.parley.server.session.CloseCodes;
import dev.parley.server.session.Connection;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Connection} over a Vert.x WebSocket. Writes may come from any thread; its
 * {@link SocketOutbox} queues them and writes them on the socket's event loop, with back-pressure
 * for replay. A client that stops reading is closed with 1008 after the slow-consumer timeout
 * ({@link OutboundBudget#closeStalled}), never because the server produced a burst.
 */
final class VertxConnection implements Connection {
    private static final AtomicLong IDS = new AtomicLong();

    private final ServerWebSocket socket;
    private final String id;
    private final SocketOutbox outbox;
    /** Set once we decided to close; frames still arriving after that are not processed. */
    private volatile boolean closing;

    /** Call on the socket's event loop. */
    VertxConnection(ServerWebSocket socket, String sessionId, OutboundBudget budget) {
        this.socket = socket;
        this.id = sessionId + "#" + IDS.incrementAndGet();
        this.outbox = new SocketOutbox(socket, budget, this::closeAsSlowConsumer);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String frame) {
        if (!isClosing()) {
            outbox.send(frame);
        }
    }

    @Override
    public boolean trySend(String frame) {
        return isClosing() || outbox.trySend(frame);
    }

    @Override
    public void onWritable(Runnable action) {
        outbox.onWritable(action);
    }

    /** True once the server started closing this socket. */
    boolean isClosing() {
        return closing || socket.isClosed();
    }

    /** The transport already answered a broken frame with a close frame (see {@link FrameViolationCloser}). */
    void refusedByTransport() {
        closing = true;
        outbox.closed();
    }

    /** The socket closed (either side): what is still queued is dropped. */
    void closed() {
        closing = true;
        outbox.closed();
    }

    /** Frames queued before the close still go out first (SESSION_END before 1000, say). */
    @Override
    public void close(int code, String reason) {
        closing = true;
        outbox.closeAfterQueued(() -> {
            if (!socket.isClosed()) {
                socket.close((short) code, reason);
            }
        });
    }

    /**
     * A client that does not read: what is queued for it is dropped, then 1008. Called from whichever
     * thread found it (a live send on a session worker, the budget's sweep): the close frame is written
     * on the socket's own loop like every other frame.
     */
    private void closeAsSlowConsumer(String reason) {
        closing = true;
        outbox.closed();
        outbox.onLoop(() -> {
            if (!socket.isClosed()) {
                socket.close((short) CloseCodes.POLICY_VIOLATION, reason);
            }
        });
    }

    @Override
    public String toString() {
        return id;
    }
}
