package dev.parley.server.http.desk;

import dev.parley.server.session.CloseCodes;
import dev.parley.server.session.Connection;
import dev.parley.server.session.SessionActor;
import dev.parley.server.session.SessionEndpoint;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * How a desk follows one conversation: a {@link Connection} attached as an observer to the
 * session's endpoint on this node — its actor, or on several nodes a follower of the owner (issue
 * 11). Every session frame reaches the desk verbatim inside {@code desk.event}. Closing it (the
 * session ended) only stops following: the desk socket serves other conversations and stays open.
 * When the session moved to another node, {@code moved} is told the last sequence the desk got,
 * so it follows again from there through whatever serves the session now.
 */
final class ObserverConnection implements Connection {
    private static final AtomicLong IDS = new AtomicLong();
    private static final String SEQUENCE = "\"sequence\":";

    private final String sessionId;
    private final DeskWire wire;
    private final String id;
    private final LongConsumer moved;
    /** The highest sequence sent to the desk; frames of one observer come from one task at a time. */
    private volatile long lastSequence;
    /** Guarded by {@code this}: the endpoint once found, and whether following stopped. */
    private SessionEndpoint endpoint;
    private boolean stopped;

    ObserverConnection(String sessionId, String agentId, DeskWire wire, LongConsumer moved) {
        this.sessionId = sessionId;
        this.wire = wire;
        this.moved = moved;
        this.id = "desk:" + agentId + ":" + sessionId + "#" + IDS.incrementAndGet();
    }

    /** The session's endpoint was found: attach after {@code cursor}, unless we stopped meanwhile. */
    void attachTo(SessionEndpoint found, long cursor) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            endpoint = found;
        }
        lastSequence = cursor;
        found.attachObserver(this, cursor);
    }

    /** Stops following: detaches from the endpoint if attached. Idempotent. */
    void stop() {
        SessionEndpoint attached;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            attached = endpoint;
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
        seen(frame);
        wire.send(DeskJson.eventMessage(sessionId, frame));
    }

    /** History is paged with back-pressure like a user socket's replay (issue 10). */
    @Override
    public boolean trySend(String frame) {
        boolean sent = wire.trySend(DeskJson.eventMessage(sessionId, frame));
        if (sent) {
            seen(frame);
        }
        return sent;
    }

    @Override
    public void onWritable(Runnable action) {
        wire.onWritable(action);
    }

    /**
     * The session closes its observers when it ends: stop following, keep the desk socket. When it
     * moved to another node, follow again from the last sequence seen (no event twice).
     */
    @Override
    public void close(int code, String reason) {
        boolean wasFollowing;
        synchronized (this) {
            wasFollowing = !stopped;
        }
        stop();
        if (wasFollowing && code == CloseCodes.SERVICE_RESTART && SessionActor.MOVED.equals(reason)) {
            moved.accept(lastSequence);
        }
    }

    /**
     * Remembers the highest sequence in a frame (an event, or a replay batch of them). A quoted key
     * inside message text is escaped in the JSON, so only real keys match.
     */
    private void seen(String frame) {
        long highest = lastSequence;
        for (int at = frame.indexOf(SEQUENCE); at >= 0; at = frame.indexOf(SEQUENCE, at + 1)) {
            int digit = at + SEQUENCE.length();
            long value = 0;
            boolean any = false;
            while (digit < frame.length() && Character.isDigit(frame.charAt(digit))) {
                value = value * 10 + (frame.charAt(digit++) - '0');
                any = true;
            }
            if (any && value > highest) {
                highest = value;
            }
        }
        lastSequence = highest;
    }

    @Override
    public String toString() {
        return id;
    }
}
