package dev.parley.server.http;

import dev.parley.server.config.ParleyConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's outbound memory: every byte queued for a WebSocket, from the moment a frame is handed
 * to a {@link SocketOutbox} until Netty wrote it to the kernel, counted against one budget (issue 10).
 * Replay only takes what the budget has room for ({@link #tryReserve}); live frames always count
 * and, when they push the node over the budget, the stalled socket holding most is closed (1008).
 * {@link #closeStalled} closes every socket whose pending frames made no progress for the
 * slow-consumer timeout. Thread-safe.
 */
public final class OutboundBudget {
    /** A socket counts as stalled for shedding when nothing left it for this long. */
    private static final Duration SHED_AFTER = Duration.ofSeconds(1);

    private final ParleyConfig.Outbound limits;
    private final Clock clock;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong slowConsumersClosed = new AtomicLong();
    private final Set<SocketOutbox> sockets = ConcurrentHashMap.newKeySet();
    /** Replays waiting for the budget to have room; all are woken when bytes leave. */
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    public OutboundBudget(ParleyConfig.Outbound limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    ParleyConfig.Outbound limits() {
        return limits;
    }

    Instant now() {
        return clock.instant();
    }

    void register(SocketOutbox socket) {
        sockets.add(socket);
    }

    void unregister(SocketOutbox socket) {
        sockets.remove(socket);
    }

    /** Takes {@code bytes} only if they fit in the budget. */
    boolean tryReserve(long bytes) {
        while (true) {
            long current = queued.get();
            if (current + bytes > limits.budgetBytes()) {
                return false;
            }
            if (queued.compareAndSet(current, current + bytes)) {
                peak.accumulateAndGet(current + bytes, Math::max);
                return true;
            }
        }
    }

    /** Takes {@code bytes} unconditionally (a live frame); true when the node is now over its budget. */
    boolean reserve(long bytes) {
        long now = queued.addAndGet(bytes);
        peak.accumulateAndGet(now, Math::max);
        return now > limits.budgetBytes();
    }

    void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        if (queued.addAndGet(-bytes) < limits.budgetBytes()) {
            wakeWaiting();
        }
    }

    /** Runs {@code action} once the budget has room (at once if it has now). */
    void whenRoom(Runnable action) {
        waiting.add(action);
        if (queued.get() < limits.budgetBytes()) {
            wakeWaiting();
        }
    }

    private void wakeWaiting() {
        for (Runnable action = waiting.poll(); action != null; action = waiting.poll()) {
            action.run();
        }
    }

    /**
     * Live frames took the node over its budget: close the stalled socket (nothing left it for a
     * second) that holds the most, so one that reads is never the one cut off. If no socket is
     * stalled, every socket is reading and the excess drains by itself.
     */
    void shed() {
        Instant now = now();
        sockets.stream().filter(s -> s.stalledFor(now).compareTo(SHED_AFTER) >= 0)
                .max(Comparator.comparingLong(SocketOutbox::pendingBytes))
                .ifPresent(s -> slowConsumer(s, "slow consumer: server outbound budget exceeded"));
    }

    /** The periodic check: sockets whose pending frames made no progress for the timeout are closed with 1008. */
    public void closeStalled() {
        Instant now = now();
        for (SocketOutbox socket : sockets) {
            if (socket.stalledFor(now).compareTo(limits.slowConsumerTimeout()) >= 0) {
                slowConsumer(socket, "slow consumer: not reading");
            }
        }
    }

    private void slowConsumer(SocketOutbox socket, String reason) {
        if (sockets.remove(socket)) {
            slowConsumersClosed.incrementAndGet();
            socket.slowConsumer(reason);
        }
    }

    /** Bytes queued for sockets right now ({@code parley.outbound.queued.bytes}). */
    public long queuedBytes() {
        return queued.get();
    }

    /** The most ever queued at once ({@code parley.outbound.queued.peak.bytes}). */
    public long peakBytes() {
        return peak.get();
    }

    /** The budget ({@code parley.outbound.budget.bytes}). */
    public long budgetBytes() {
        return limits.budgetBytes();
    }

    /** Sockets closed as slow consumers ({@code parley.outbound.slow.consumers}). */
    public long slowConsumersClosed() {
        return slowConsumersClosed.get();
    }
}
