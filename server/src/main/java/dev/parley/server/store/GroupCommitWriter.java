package dev.parley.server.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns many small appends into few durable commits. Each {@link #append} (and each new session,
 * {@link #create}) is queued; one writer
 * thread ({@value #THREAD_NAME}) takes everything waiting, up to a batch limit, and writes it with
 * a single {@link EventStore#append} — one transaction and one fsync for many sessions.
 *
 * <p>Futures complete on the writer thread, in submission order. Callers must hop back to their own
 * executor (e.g. their event loop) before doing real work: anything run inline delays every later
 * append. (As with any {@link CompletableFuture}, a callback attached after completion runs on the
 * attaching thread instead.)
 *
 * <p>The queue is bounded and nothing blocks a caller's thread. When it is full, {@link #append}
 * returns a future already failed with {@link JournalFullException}, so the caller can shed load;
 * {@link #hasRoom} lets a caller refuse work before it changes anything; and
 * {@link #appendWhenRoom} parks an append that must not be lost until the writer makes room.
 */
public final class GroupCommitWriter implements AutoCloseable {

    public static final String THREAD_NAME = "parley-writer";
    public static final int DEFAULT_MAX_BATCH_EVENTS = 512;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Queued by {@link #close()} behind everything accepted before it. */
    private static final Request STOP = new Request(List.of(), List.of(), Map.of(), new CompletableFuture<>());

    /**
     * Events to append, the sessions they open (their rows are written first, same transaction),
     * and the lease epochs they are fenced by (empty: not fenced).
     */
    private record Request(List<SessionRecord> sessions, List<StoredEvent> events, Map<String, Long> epochs,
                           CompletableFuture<Void> done) {
        Request(List<StoredEvent> events, Map<String, Long> epochs) {
            this(List.of(), List.copyOf(events), epochs, new CompletableFuture<>());
        }
    }

    private final EventStore store;
    private final int capacity;
    private final int maxBatchEvents;
    // Unbounded underneath so that STOP can always be queued; the bound is enforced on admission.
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    /**
     * Guarded by admission: appends waiting for room, oldest first, admitted ahead of new ones. Its
     * size is bounded by the callers: a session actor parks at most one append (its next task
     * waits for it).
     */
    private final ArrayDeque<Request> parked = new ArrayDeque<>();
    private final Thread thread;
    private boolean closed; // guarded by admission

    /**
     * The store's last verdict: false after a {@link #probe} it did not answer, true again after the
     * next commit or answered probe. (A failed append alone does not set it: one bad append, say a
     * duplicate sequence, says nothing about the store, and only the probe could lift it again.) Written by the writer thread and
     * the probing thread, read by anyone (sessions refuse new work while it is false).
     */
    private volatile boolean reachable = true;
    /** Keeps probes from piling up while each waits out an unreachable store. */
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

    private final AtomicLong appendsRequested = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicLong eventsWritten = new AtomicLong();

    /**
     * @param capacity       appends that may wait at once before new ones are refused
     * @param maxBatchEvents events written per commit at most (a single larger append still goes
     *                       through alone)
     */
    public GroupCommitWriter(EventStore store, int capacity, int maxBatchEvents) {
        if (capacity < 1 || maxBatchEvents < 1) {
            throw new IllegalArgumentException("capacity and maxBatchEvents must be positive");
        }
        this.store = store;
        this.capacity = capacity;
        this.maxBatchEvents = maxBatchEvents;
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    public GroupCommitWriter(EventStore store, int capacity) {
        this(store, capacity, DEFAULT_MAX_BATCH_EVENTS);
    }

    /**
     * Queues events for a durable append. The future completes (on the writer thread) once they
     * are committed, or fails with a {@link StoreException}: the queue is full, the writer is
     * closed, or the store refused them (then none of them is stored).
     */
    public CompletableFuture<Void> append(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return admit(new Request(events, Map.of()));
    }

    /**
     * Queues a new session — its row and its {@code SESSION_START} — like an {@link #append}, so
     * that many creations share one transaction. Refused the same way: a future already failed with
     * {@link JournalFullException} when the queue is full, nothing queued. The future completes once
     * the session is durably stored.
     */
    public CompletableFuture<Void> create(SessionRecord session, StoredEvent sessionStart) {
        if (!session.id().equals(sessionStart.sessionId())) {
            throw new IllegalArgumentException("session start belongs to " + sessionStart.sessionId());
        }
        return admit(new Request(List.of(session), List.of(sessionStart), Map.of(), new CompletableFuture<>()));
    }

    private CompletableFuture<Void> admit(Request request) {
        // One lock for the check and the offer: the bound stays exact and nothing slips in
        // behind STOP, where it would never be completed.
        synchronized (admission) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("journal closed"));
            }
            if (isFull()) {
                return CompletableFuture.failedFuture(new JournalFullException("journal queue full"));
            }
            queue.add(request);
        }
        appendsRequested.incrementAndGet();
        return request.done();
    }

    /**
     * Like {@link #append}, but never refused for lack of room: when the queue is full the append
     * waits, without blocking the caller, until the writer has made room, and then goes ahead of
     * appends that arrive later. For events already folded into a session's state, whose loss would
     * leave a gap (agent output answering a stored message, desk events, timers). Still fails with
     * a {@link StoreException} when the writer is closed or the store refuses the events.
     */
    public CompletableFuture<Void> appendWhenRoom(List<StoredEvent> events) {
        return appendWhenRoom(events, Map.of());
    }

    /**
     * {@link #appendWhenRoom(List)} for the owner of a session holding its lease at {@code epoch}
     * (issue 11): the store writes the events only if the lease still has that epoch. If it moved
     * on, the future fails with {@link FencedException} and only this append is refused: the other
     * appends of the same group commit are written normally.
     */
    public CompletableFuture<Void> appendWhenRoom(String sessionId, long epoch, List<StoredEvent> events) {
        return appendWhenRoom(events, Map.of(sessionId, epoch));
    }

    private CompletableFuture<Void> appendWhenRoom(List<StoredEvent> events, Map<String, Long> epochs) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Request request = new Request(events, epochs);
        synchronized (admission) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("journal closed"));
            }
            if (isFull()) {
                parked.add(request);
            } else {
                queue.add(request);
            }
        }
        appendsRequested.incrementAndGet();
        return request.done();
    }

    /**
     * True while an {@link #append} would be queued: there is room and nobody is waiting for it.
     * A hint (another caller may take the room first), good for refusing new work before changing
     * anything; pair it with {@link #appendWhenRoom}.
     */
    public boolean hasRoom() {
        synchronized (admission) {
            return !closed && !isFull();
        }
    }

    /** Appends parked in {@link #appendWhenRoom} right now (for metrics and tests). */
    public int parkedAppends() {
        synchronized (admission) {
            return parked.size();
        }
    }

    // Guarded by admission.
    private boolean isFull() {
        return !parked.isEmpty() || queue.size() >= capacity;
    }

    /** The writer took requests off the queue: let parked ones in, oldest first. */
    private void admitParked() {
        synchronized (admission) {
            while (!parked.isEmpty() && queue.size() < capacity) {
                queue.add(parked.poll());
            }
        }
    }

    /**
     * Whether the store answered the last time it was probed, or committed since: a cheap,
     * non-blocking verdict for {@code /readyz} and for sessions, which refuse new client events
     * with "high load" while it is false rather than accept work they cannot make durable.
     */
    public boolean reachable() {
        return reachable;
    }

    /**
     * Asks the store whether it answers ({@link EventStore#probe}) and records the verdict; this is
     * how an idle node notices the store is down, and how a node notices it is back. Blocks (run it
     * on a worker, about every second); a probe while another one runs returns at once.
     */
    public void probe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        try {
            store.probe();
            if (!reachable) {
                LOG.info("the store answers again");
            }
            reachable = true;
        } catch (RuntimeException e) {
            if (reachable) {
                LOG.warn("the store does not answer: {}", e.getMessage());
            }
            reachable = false;
        } finally {
            probing.set(false);
        }
    }

    /** Appends accepted into the queue so far. */
    public long appendsRequested() {
        return appendsRequested.get();
    }

    /** Successful calls of {@link EventStore#append} so far (commits). */
    public long batchesWritten() {
        return batchesWritten.get();
    }

    /** Events durably written so far. */
    public long eventsWritten() {
        return eventsWritten.get();
    }

    /** Refuses new appends, writes everything already queued, then stops the writer thread. */
    @Override
    public void close() {
        synchronized (admission) {
            if (closed) {
                return;
            }
            closed = true;
            // Parked appends were accepted: they are written before the writer stops.
            queue.addAll(parked);
            parked.clear();
            queue.add(STOP);
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not drain within {}", THREAD_NAME, CLOSE_TIMEOUT);
        }
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        while (true) {
            Request first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                // Nobody is supposed to interrupt us; keep serving so no future is left hanging.
                LOG.warn("{} interrupted; ignoring", THREAD_NAME);
                continue;
            }
            if (first == STOP) {
                return;
            }
            batch.add(first);
            drainInto(batch, first.events().size());
            admitParked();
            try {
                write(batch);
            } catch (Throwable t) {
                // Not a store refusal (those are handled in write): keep the thread alive so later
                // appends are still served, and fail whatever this batch left open.
                LOG.error("{} failed unexpectedly", THREAD_NAME, t);
                StoreException failure = new StoreException("append failed: " + t, t);
                batch.forEach(r -> r.done().completeExceptionally(failure));
            }
            batch.clear();
        }
    }

    /** Adds what else is waiting, in order, while the batch stays within the event limit. */
    private void drainInto(List<Request> batch, int events) {
        Request next;
        while ((next = queue.peek()) != null && next != STOP
                && events + next.events().size() <= maxBatchEvents) {
            batch.add(queue.remove());
            events += next.events().size();
        }
    }

    private void write(List<Request> batch) {
        if (batch.size() == 1) {
            writeAlone(batch.get(0));
            return;
        }
        List<SessionRecord> sessions = new ArrayList<>();
        List<StoredEvent> all = new ArrayList<>();
        Map<String, Long> epochs = new HashMap<>();
        for (Request r : batch) {
            sessions.addAll(r.sessions());
            all.addAll(r.events());
            epochs.putAll(r.epochs());
        }
        Set<String> fenced;
        try {
            fenced = store.append(sessions, all, epochs);
        } catch (RuntimeException e) {
            // One bad request (say a duplicate sequence) spoils the group; retrying each alone
            // isolates it, at the cost of one commit per request for this batch only. A deposed
            // session is not such a request: the store leaves it out and commits the rest.
            LOG.debug("group of {} appends failed ({}); retrying one by one", batch.size(), e.getMessage());
            batch.forEach(this::writeAlone);
            return;
        }
        int written = 0;
        for (Request r : batch) {
            if (!isFenced(r, fenced)) {
                written += r.events().size();
            }
        }
        recordCommit(written);
        batch.forEach(r -> settle(r, fenced));
    }

    private void writeAlone(Request request) {
        Set<String> fenced;
        try {
            fenced = store.append(request.sessions(), request.events(), request.epochs());
        } catch (RuntimeException e) {
            request.done().completeExceptionally(
                    e instanceof StoreException ? e : new StoreException("append failed: " + e.getMessage(), e));
            return;
        }
        if (!isFenced(request, fenced)) {
            recordCommit(request.events().size());
        }
        settle(request, fenced);
    }

    private static boolean isFenced(Request request, Set<String> fenced) {
        return !fenced.isEmpty() && request.epochs().keySet().stream().anyMatch(fenced::contains);
    }

    /** Completes a request that was written, fails one whose session's lease moved on. */
    private static void settle(Request request, Set<String> fenced) {
        if (isFenced(request, fenced)) {
            Map.Entry<String, Long> lease = request.epochs().entrySet().iterator().next();
            request.done().completeExceptionally(new FencedException(lease.getKey(), lease.getValue()));
        } else {
            request.done().complete(null);
        }
    }

    private void recordCommit(int events) {
        reachable = true;
        batchesWritten.incrementAndGet();
        eventsWritten.addAndGet(events);
    }
}
