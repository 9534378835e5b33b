package dev.parley.server.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns many small appends into few durable commits. Each {@link #append} is queued; one writer
 * thread ({@value #THREAD_NAME}) takes everything waiting, up to a batch limit, and writes it with
 * a single {@link EventStore#append} — one transaction and one fsync for many sessions.
 *
 * <p>Futures complete on the writer thread, in submission order. Callers must hop back to their own
 * executor (e.g. their event loop) before doing real work: anything run inline delays every later
 * append. (As with any {@link CompletableFuture}, a callback attached after completion runs on the
 * attaching thread instead.)
 *
 * <p>The queue is bounded; when it is full, {@link #append} returns an already failed future
 * instead of blocking, so the caller can shed load.
 */
public final class GroupCommitWriter implements AutoCloseable {

    public static final String THREAD_NAME = "parley-writer";
    public static final int DEFAULT_MAX_BATCH_EVENTS = 512;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Queued by {@link #close()} behind everything accepted before it. */
    private static final Request STOP = new Request(List.of(), new CompletableFuture<>());

    private record Request(List<StoredEvent> events, CompletableFuture<Void> done) {
    }

    private final EventStore store;
    private final int capacity;
    private final int maxBatchEvents;
    // Unbounded underneath so that STOP can always be queued; the bound is enforced on admission.
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    private final Thread thread;
    private boolean closed; // guarded by admission

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
        Request request = new Request(List.copyOf(events), new CompletableFuture<>());
        // One lock for the check and the offer: the bound stays exact and nothing slips in
        // behind STOP, where it would never be completed.
        synchronized (admission) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("journal closed"));
            }
            if (queue.size() >= capacity) {
                return CompletableFuture.failedFuture(new StoreException("journal queue full"));
            }
            queue.add(request);
        }
        appendsRequested.incrementAndGet();
        return request.done();
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
        List<StoredEvent> all = new ArrayList<>();
        for (Request r : batch) {
            all.addAll(r.events());
        }
        try {
            store.append(all);
        } catch (RuntimeException e) {
            // One bad request (say a duplicate sequence) spoils the group; retrying each alone
            // isolates it, at the cost of one commit per request for this batch only.
            LOG.debug("group of {} appends failed ({}); retrying one by one", batch.size(), e.getMessage());
            batch.forEach(this::writeAlone);
            return;
        }
        recordCommit(all.size());
        batch.forEach(r -> r.done().complete(null));
    }

    private void writeAlone(Request request) {
        try {
            store.append(request.events());
        } catch (RuntimeException e) {
            request.done().completeExceptionally(
                    e instanceof StoreException ? e : new StoreException("append failed: " + e.getMessage(), e));
            return;
        }
        recordCommit(request.events().size());
        request.done().complete(null);
    }

    private void recordCommit(int events) {
        batchesWritten.incrementAndGet();
        eventsWritten.addAndGet(events);
    }
}
