package dev.parley.server.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} for tests whose time stands still until {@link #advance} moves it. Due tasks
 * then run on the caller's thread in due-time order (scheduling order among equal times), with
 * {@link #now()} set to each task's due time while it runs. {@link #clock()} reads the same virtual
 * time, for code that takes a {@link Clock}.
 *
 * <p>Thread-safe; tasks run outside the lock, so they may schedule or cancel. An exception thrown
 * by a task propagates out of {@code advance}, leaving the remaining tasks queued.
 */
public final class ManualScheduler implements Scheduler {
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>(Comparator.comparing(Entry::dueAt).thenComparingLong(Entry::sequence));
    /** Guarded by {@code this}. */
    private Instant now;
    /** Guarded by {@code this}; breaks ties between tasks due at the same instant. */
    private long sequence;

    public ManualScheduler() {
        this(DEFAULT_START);
    }

    public ManualScheduler(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** One queued run of a task; a periodic task is re-queued with the same handle. */
    private record Entry(Instant dueAt, long sequence, Runnable task, Duration period, Handle handle) {
    }

    private final class Handle implements Cancellable {
        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                queue.removeIf(entry -> entry.handle() == this);
            }
        }
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        return enqueue(now.plus(delay), task, null, new Handle());
    }

    @Override
    public synchronized Cancellable every(Duration period, Runnable task) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return enqueue(now.plus(period), task, period, new Handle());
    }

    private Handle enqueue(Instant dueAt, Runnable task, Duration period, Handle handle) {
        queue.add(new Entry(dueAt, sequence++, Objects.requireNonNull(task, "task"), period, handle));
        return handle;
    }

    public synchronized Instant now() {
        return now;
    }

    /** A clock that reads this scheduler's virtual time, in UTC. */
    public Clock clock() {
        return new VirtualClock(ZoneOffset.UTC);
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time cannot go back: " + duration);
        }
        advanceTo(now().plus(duration));
    }

    /** Moves time forward to {@code target}, running every task that falls due on the way. */
    public void advanceTo(Instant target) {
        while (true) {
            Entry next;
            synchronized (this) {
                if (target.isBefore(now)) {
                    throw new IllegalArgumentException("time cannot go back from " + now + " to " + target);
                }
                next = queue.peek();
                if (next == null || next.dueAt().isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.dueAt();
                // Re-queued before running, so a periodic task can cancel itself.
                if (next.period() != null) {
                    enqueue(now.plus(next.period()), next.task(), next.period(), next.handle());
                }
            }
            next.task().run();
        }
    }

    /** Runs the tasks due now (e.g. scheduled with a zero delay) without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Queued task runs, periodic tasks counting once. */
    public synchronized int pending() {
        return queue.size();
    }

    private final class VirtualClock extends Clock {
        private final ZoneId zone;

        VirtualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new VirtualClock(newZone);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }
}
