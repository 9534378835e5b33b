package dev.parley.server.session;

import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.EventType;
import dev.parley.protocol.Ids;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.Decoded;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Serves a session's sockets on a node that does not own it (issue 11). It runs no agent, no timer
 * and stores nothing: it reads the journal. Each socket gets the history after its cursor, then
 * every stored event in sequence order, read from the store whenever the owner's doorbell shows a
 * head beyond what the socket has, on a fan-out gap, and on the registry's periodic head check — so
 * a dead feed delays events, never loses them. Each socket's position is exactly the last sequence
 * it was sent, and only events above it are sent: no gap, no double, also across replay and live.
 * Client frames go to the owner over the fan-out; its answers for one socket come back to
 * {@link #answer} / {@link #closeRemote}.
 *
 * <p>Everything that touches the sockets runs in one serial queue; {@link #owner} is volatile.
 */
public final class SessionFollower implements SessionEndpoint {
    /** Journal rows read per query. */
    private static final int PAGE = 500;

    private final SessionRecord record;
    private final EventStore events;
    private final FanOut fanOut;
    private final String nodeId;
    private final SerialQueue queue;
    private final Executor executor;
    private final Supplier<Instant> now;
    private final int maxConnections;
    private final AtomicInteger reserved = new AtomicInteger();
    /** The desks among the sockets: they alone get a user's typing. */
    private final java.util.Set<Connection> observers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The node whose lease is live, as last seen; null while unknown (frames are then refused). */
    private volatile String owner;
    /** Set once the session moved here or ended: later sockets are closed at once. */
    private volatile boolean retired;
    private volatile FanOut.Subscription subscription;

    // Confined to the queue: every socket and the last sequence it was sent.
    private final Map<Connection, Long> positions = new LinkedHashMap<>();
    /** Sockets still replaying history (not yet in positions), with their pump. */
    private final Map<Connection, ReplayPump> catchingUp = new LinkedHashMap<>();
    private boolean ended;
    /**
     * The highest sequence this follower knows is stored: from doorbells, replays and refills. A
     * doorbell whose delivery starts beyond {@code known + 1}, or a head check finding the store
     * beyond it, means doorbells were lost (counted as gaps).
     */
    private long known;
    private final ClusterCounters cluster;

    SessionFollower(SessionRecord record, EventStore events, FanOut fanOut, String nodeId, String owner,
                    Executor executor, Supplier<Instant> now, int maxConnections, ClusterCounters cluster) {
        this.cluster = cluster;
        this.record = record;
        this.events = events;
        this.fanOut = fanOut;
        this.nodeId = nodeId;
        this.owner = owner;
        this.queue = new SerialQueue(executor, 256);
        this.executor = executor;
        this.now = now;
        this.maxConnections = maxConnections;
    }

    /** Subscribes to the owner's doorbell; called once, before any socket attaches. */
    void listen() {
        subscription = fanOut.subscribe(FanOutMessages.sessionTopic(record.id()),
                message -> FanOutMessages.readDoorbell(message).ifPresent(this::rung));
    }

    @Override
    public SessionRecord record() {
        return record;
    }

    @Override
    public boolean tryReserveConnection() {
        while (true) {
            int current = reserved.get();
            if (current >= maxConnections) {
                return false;
            }
            if (reserved.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    @Override
    public void releaseReservation() {
        reserved.decrementAndGet();
    }

    boolean hasConnections() {
        return reserved.get() > 0;
    }

    boolean isRetired() {
        return retired;
    }

    void owner(String node) {
        owner = node;
    }

    /**
     * The history after the cursor, then live from there. As on the owner, a short one (at most a
     * page) is sent from this task; a long one is paged with back-pressure ({@link ReplayPump}: the
     * next page is read only once the socket took the previous one). While a
     * socket catches up, refills skip it; {@link #finishReplay} hands it over to live delivery in a
     * task of this queue, where no refill can run in between: no gap, no double.
     */
    @Override
    public void attach(Connection connection, long cursor) {
        queue.submit(() -> {
            if (retired) {
                connection.close(CloseCodes.SERVICE_RESTART, SessionActor.MOVED);
                return;
            }
            if (events.headSequence(record.id()) - Math.max(0, cursor) <= ReplayPump.PAGE) {
                // A short history (the usual reconnect), as on the owner: sent from this task, so the
                // socket is live at once and what is stored next reaches it as single frames.
                replayShort(connection, cursor);
                return;
            }
            ReplayPump pump = new ReplayPump(connection, record.id(), cursor, events, executor, now, this::finishReplay);
            catchingUp.put(connection, pump);
            pump.resume();
        });
    }

    /** Sends the history after the cursor as replay batches and makes the socket live; inside the queue. */
    private void replayShort(Connection connection, long cursor) {
        List<String> history = new java.util.ArrayList<>();
        long after = Math.max(0, cursor);
        boolean endSeen = false;
        while (true) {
            List<StoredEvent> page = events.readAfter(record.id(), after, PAGE);
            for (StoredEvent e : page) {
                history.add(e.json());
                after = e.sequence();
                endSeen |= e.type() == EventType.SESSION_END;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        ReplayBatches.frames(history, now.get()).forEach(connection::send);
        if (endSeen || ended) {
            connection.close(CloseCodes.NORMAL, "session ended"); // §13.9
            return;
        }
        positions.put(connection, after);
    }

    /**
     * The pump found the journal's end. In this task no refill runs, so what was stored since (at
     * most a page, else paging goes on) is sent from here, then the owner's answers held during
     * catch-up, and the socket joins the live ones at the last sequence it got.
     */
    private void finishReplay(ReplayPump pump) {
        queue.submit(() -> {
            Connection connection = pump.connection();
            if (retired || pump.isCancelled() || catchingUp.get(connection) != pump) {
                return;
            }
            List<StoredEvent> rest = events.readAfter(record.id(), pump.after(), ReplayPump.PAGE);
            if (rest.size() == ReplayPump.PAGE) {
                pump.resume(); // much was stored meanwhile: keep paging with back-pressure
                return;
            }
            if (!rest.isEmpty() || !pump.sentAny()) {
                ReplayBatches.frames(rest.stream().map(StoredEvent::json).toList(), now.get())
                        .forEach(connection::send); // §13.4: at least one batch
            }
            pump.heldAnswers.forEach(connection::send);
            catchingUp.remove(connection);
            long after = rest.isEmpty() ? pump.after() : rest.get(rest.size() - 1).sequence();
            boolean endSeen = pump.sawEnd() || rest.stream().anyMatch(e -> e.type() == EventType.SESSION_END);
            if (endSeen || ended) {
                connection.close(CloseCodes.NORMAL, "session ended"); // §13.9
                return;
            }
            positions.put(connection, after);
            known = Math.max(known, after);
        });
    }

    @Override
    public void detach(Connection connection) {
        queue.submit(() -> {
            positions.remove(connection);
            ReplayPump pump = catchingUp.remove(connection);
            if (pump != null) {
                pump.cancel();
            }
            reserved.decrementAndGet();
        });
    }

    /**
     * A desk follows like a socket, past the connection limit (a desk is not one of the user's
     * sockets); it keeps this follower alive while it follows.
     */
    @Override
    public void attachObserver(Connection desk, long cursor) {
        reserved.incrementAndGet();
        observers.add(desk);
        attach(desk, cursor);
    }

    @Override
    public void detachObserver(Connection desk) {
        observers.remove(desk);
        detach(desk);
    }

    /** A client frame: to the owner, which answers the socket alone through {@link #answer}. */
    public void forward(Connection from, String frame) {
        String to = owner;
        if (to == null) {
            // Between owners (the last one's lease lapsed, nobody took it yet): nothing was stored,
            // so the client's resend (same client_event_id) is handled once an owner is there.
            from.send(ServerEventEncoder.encode(new ServerEvent(Ids.eventId(), null, now.get(),
                    SystemMessage.error(ErrorMessages.HIGH_LOAD, "the session is moving; resend in a moment"), null)));
            return;
        }
        fanOut.publish(FanOutMessages.nodeTopic(to), FanOutMessages.toNode(new FanOutMessages.ToNode(
                FanOutMessages.ToNode.FRAME, record.id(), nodeId, from.id(), frame, 0)));
    }

    /** A bad frame is answered here: it needs nothing from the owner. */
    @Override
    public void reject(Connection from, Decoded.Rejected rejected) {
        from.send(ServerEventEncoder.encode(new ServerEvent(Ids.eventId(), null, now.get(),
                SystemMessage.error(rejected.message(), rejected.detail()), rejected.metadata())));
    }

    /** The owner's answer for one socket; after whatever the journal holds before it. */
    void answer(String connectionId, String frame) {
        queue.submit(() -> {
            refill();
            positions.keySet().stream().filter(c -> c.id().equals(connectionId)).forEach(c -> c.send(frame));
            // After the replay that precedes it.
            catchingUp.forEach((c, pump) -> {
                if (c.id().equals(connectionId)) {
                    pump.heldAnswers.add(frame);
                }
            });
        });
    }

    void closeRemote(String connectionId, int code, String reason) {
        queue.submit(() -> {
            List.copyOf(positions.keySet()).stream().filter(c -> c.id().equals(connectionId)).forEach(c -> {
                positions.remove(c);
                c.close(code, reason);
            });
            List.copyOf(catchingUp.keySet()).stream().filter(c -> c.id().equals(connectionId)).forEach(c -> {
                catchingUp.remove(c).cancel();
                c.close(code, reason);
            });
        });
    }

    private void rung(FanOutMessages.Doorbell doorbell) {
        queue.submit(() -> {
            long first = doorbell.head() - doorbell.stored() + 1;
            if (!positions.isEmpty() && doorbell.stored() > 0 && first > known + 1) {
                cluster.gapDetected(); // the doorbells of known + 1 .. first - 1 never came
            }
            known = Math.max(known, doorbell.head());
            if (doorbell.head() > lowestPosition()) {
                refill(); // the doorbell shows events this node has not sent: read them
            }
            // Transient frames after the stored ones of the same delivery, as on the owner.
            doorbell.transientFrames().forEach(f -> positions.keySet().forEach(c -> c.send(f)));
            doorbell.observerFrames().forEach(f -> positions.keySet().stream().filter(observers::contains)
                    .forEach(c -> c.send(f)));
        });
    }

    /** The periodic head check, and a fan-out gap: the store is the truth. */
    void checkHead() {
        queue.submit(() -> {
            if (positions.isEmpty()) {
                return;
            }
            long head = events.headSequence(record.id());
            if (head > known) {
                cluster.gapDetected(); // stored, and no doorbell said so (lost, or the feed is down)
                known = head;
            }
            if (head > lowestPosition()) {
                refill();
            }
        });
    }

    /**
     * This node owns the session now (the owner's lease lapsed): the sockets are closed with 1012
     * and reconnect to the new actor, resuming from their cursor.
     */
    void retire() {
        retired = true;
        queue.submit(() -> {
            List.copyOf(positions.keySet()).forEach(c -> c.close(CloseCodes.SERVICE_RESTART, SessionActor.MOVED));
            positions.clear();
            catchingUp.forEach((c, pump) -> {
                pump.cancel();
                c.close(CloseCodes.SERVICE_RESTART, SessionActor.MOVED);
            });
            catchingUp.clear();
            if (subscription != null) {
                subscription.close();
            }
        });
    }

    /** Sends every socket the stored events above its position, in order; runs inside the queue. */
    private void refill() {
        if (positions.isEmpty()) {
            return;
        }
        long after = lowestPosition();
        boolean found = false;
        while (true) {
            List<StoredEvent> page = events.readAfter(record.id(), after, PAGE);
            for (StoredEvent e : page) {
                for (Map.Entry<Connection, Long> p : positions.entrySet()) {
                    if (p.getValue() < e.sequence()) {
                        p.getKey().send(e.json());
                        p.setValue(e.sequence());
                    }
                }
                ended |= e.type() == EventType.SESSION_END;
                known = Math.max(known, e.sequence());
                found = true;
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).sequence();
        }
        if (found) {
            cluster.refilled();
        }
        if (ended) {
            List.copyOf(positions.keySet()).forEach(c -> c.close(CloseCodes.NORMAL, "session ended"));
            positions.clear();
        }
    }

    private long lowestPosition() {
        return positions.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    }
}
