package dev.parley.server.http.desk;

import dev.parley.server.http.OutboundBudget;
import dev.parley.server.http.SocketOutbox;
import dev.parley.server.session.CloseCodes;
import io.vertx.core.http.ServerWebSocket;

/**
 * The write side of one desk socket. Writes come from the desk thread and from the sessions the
 * desk follows (history replays, live events); like a user socket's, they go through a
 * {@link SocketOutbox}, which writes them on the socket's event loop and counts them in the node's
 * {@link OutboundBudget}. So a burst (a long conversation's history, say) is never taken for a slow
 * consumer; a desk that has not read for the slow-consumer timeout, or whose queue reaches the
 * per-socket cap, is closed with 1008 (issue 10).
 */
final class DeskWire {
    private final ServerWebSocket socket;
    private final SocketOutbox outbox;

    /** Call on the socket's event loop (the upgrade's completion). */
    DeskWire(ServerWebSocket socket, OutboundBudget budget) {
        this.socket = socket;
        this.outbox = new SocketOutbox(socket, budget, this::closeAsSlowConsumer);
    }

    /** Never throws, never blocks; dropped once the socket closed. */
    void send(String message) {
        if (!socket.isClosed()) {
            outbox.send(message);
        }
    }

    /** A history frame: queued only if the socket and the node have room (see {@link SocketOutbox#trySend}). */
    boolean trySend(String message) {
        return socket.isClosed() || outbox.trySend(message);
    }

    /** Runs {@code action} once when {@link #trySend} may succeed again; never after the socket closed. */
    void onWritable(Runnable action) {
        outbox.onWritable(action);
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /** The socket closed (either side): what is still queued is dropped and given back to the budget. */
    void closed() {
        outbox.closed();
    }

    /** From whichever thread found the slow reader; the close frame goes out on the socket's loop. */
    private void closeAsSlowConsumer(String reason) {
        outbox.closed();
        outbox.onLoop(() -> {
            if (!socket.isClosed()) {
                socket.close((short) CloseCodes.POLICY_VIOLATION, reason);
            }
        });
    }
}
