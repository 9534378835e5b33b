package dev.parley.server.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventStore} port in front of a real one whose appends the test holds or breaks: while
 * held, the writer thread waits inside {@link #append} (a slow disk); while broken, appends fail
 * like a real storage failure. Reads go through unless the test asked for the next one to fail.
 */
public final class ControllableStore implements EventStore {
    private final EventStore delegate;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch entered = new CountDownLatch(1);
    private volatile boolean broken;
    private final java.util.concurrent.atomic.AtomicInteger failingReads = new java.util.concurrent.atomic.AtomicInteger();

    public ControllableStore(EventStore delegate) {
        this.delegate = delegate;
    }

    /** From now on appends wait until {@link #release}. */
    public void hold() {
        entered = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    /** Waits until the writer is inside a held append (so the queue behind it is empty). */
    public void awaitHeldAppend() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no append reached the store within 10 s");
        }
    }

    /** Lets held and later appends through. */
    public void release() {
        gate.countDown();
    }

    /** Appends fail with a {@link StoreException} until told otherwise. */
    public void breakAppends(boolean broken) {
        this.broken = broken;
    }

    @Override
    public void append(List<SessionRecord> newSessions, List<StoredEvent> events) {
        entered.countDown();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", e);
        }
        if (broken) {
            throw new StoreException("disk I/O error (simulated)");
        }
        delegate.append(newSessions, events);
    }

    /** The next {@code count} reads of events fail with a {@link StoreException}, later ones go through. */
    public void failNextReads(int count) {
        failingReads.set(count);
    }

    @Override
    public List<StoredEvent> readAfter(String sessionId, long afterSequence, int limit) {
        if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreException("disk I/O error on read (simulated)");
        }
        return delegate.readAfter(sessionId, afterSequence, limit);
    }

    @Override
    public long headSequence(String sessionId) {
        return delegate.headSequence(sessionId);
    }

    @Override
    public Optional<StoredEvent> findByClientEventId(String sessionId, String clientEventId) {
        return delegate.findByClientEventId(sessionId, clientEventId);
    }
}
