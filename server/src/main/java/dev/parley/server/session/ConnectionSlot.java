package dev.parley.server.session;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket's place in its session's connection limit across all nodes (issue 11), taken by
 * {@link SessionRegistry#reserveConnection} before the upgrade. Released once when the socket
 * closes or its upgrade fails; the endpoint's own slot is given back separately, as before
 * ({@link SessionEndpoint#detach} / {@link SessionEndpoint#releaseReservation}).
 */
public final class ConnectionSlot {
    /** One node: nothing is shared, nothing to give back. */
    static final ConnectionSlot LOCAL = new ConnectionSlot(() -> { });

    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    ConnectionSlot(Runnable release) {
        this.release = release;
    }

    /** Idempotent; never blocks (the store is written on a worker). */
    public void release() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
