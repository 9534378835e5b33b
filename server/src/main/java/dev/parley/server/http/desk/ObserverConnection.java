package dev.parley.server.http.desk;

import dev.parley.server.session.Connection;
import dev.parley.server.session.SessionActor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a desk follows one conversation: a {@link Connection} attached to the session as an
 * observer. Every session frame reaches the desk verbatim inside {@code desk.event}. Closing it
 * (the session ended) only stops following: the desk socket serves other conversations and stays open.
 */
final class ObserverConnection implements Connection {
    private static final AtomicLong IDS = new AtomicLong();

    private final String sessionId;
    private final DeskWire wire;
    private final String id;
    /** Guarded by {@code this}: the actor once found, and whether following stopped. */
    private SessionActor actor;
    private boolean stopped;

    ObserverConnection(String sessionId, String agentId, DeskWire wire) {
        this.sessionId = sessionId;
        this.wire = wire;
        this.id = "desk:" + agentId + ":" + sessionId + "#" + IDS.incrementAndGet();
    }

    /** The session's actor was found: attach with the full history, unless we stopped meanwhile. */
    void attachTo(SessionActor found) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            actor = found;
        }
        found.attachObserver(this, 0);
    }

    /** Stops following: detaches from the actor if attached. Idempotent. */
    void stop() {
        SessionActor attached;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            attached = actor;
        }
        if (attached != null) {
            attached.detachObserver(this);
        }
    }

    String sessionId() {
        return sessionId;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String frame) {
        wire.send(DeskJson.eventMessage(sessionId, frame));
    }

    /** History is paged with back-pressure like a user socket's replay (issue 10). */
    @Override
    public boolean trySend(String frame) {
        return wire.trySend(DeskJson.eventMessage(sessionId, frame));
    }

    @Override
    public void onWritable(Runnable action) {
        wire.onWritable(action);
    }

    /** The session closes its observers when it ends: stop following, keep the desk socket. */
    @Override
    public void close(int code, String reason) {
        stop();
    }

    @Override
    public String toString() {
        return id;
    }
}
