package dev.parley.server.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The outbound queue of one WebSocket (issue 10). Frames may come from any thread (session workers,
 * the journal's writer, timers); they are queued here, counted per socket and in the node's
 * {@link OutboundBudget}, and written by one drain on the socket's own event loop, scheduled once
 * per burst rather than once per frame. The drain writes while Netty's buffer has room and
 * otherwise waits for the socket's drain handler, so a burst is never mistaken for a slow reader:
 * only {@link OutboundBudget#closeStalled} (no progress for the slow-consumer timeout) or the
 * per-socket cap closes a socket.
 *
 * <p>Sizes are counted in characters, which is the UTF-8 size of our (ASCII) JSON and the heap size
 * of its compact strings.
 *
 * <p>Threads: every field is guarded by {@code this}; the drain and write completions run on the
 * socket's event loop; callbacks run outside the lock.
 *
 * <p>Public for the desk socket ({@code http.desk.DeskWire}), which queues its frames the same way.
 */
public final class SocketOutbox {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SocketOutbox.class);
    /** A replay page is sent only while less than this is pending: about two full batches in flight. */
    static final int REPLAY_ROOM_BYTES = 256 * 1024;
    /** What Netty buffers before the drain waits; the rest stays in our own queue. */
    static final int NETTY_BUFFER_BYTES = 256 * 1024;

    private final ServerWebSocket socket;
    private final Context context;
    /**
     * The socket's event-loop thread: Netty's channel belongs to it, and every frame, the close and
     * the write-queue checks happen there (issue 11: frames written from elsewhere reached JDK
     * clients corrupt). Checked on every drain, see {@link #onSocketLoop}.
     */
    private final Thread loop;
    private final OutboundBudget budget;
    private final Consumer<String> closeAsSlow;
    private final ArrayDeque<String> frames = new ArrayDeque<>();
    private long pending;
    private boolean drainScheduled;
    private boolean closed;
    /** Since when nothing left this socket while something was pending. */
    private Instant lastProgress;
    private Runnable writable;

    /** Call on the socket's event loop (the upgrade's completion). */
    public SocketOutbox(ServerWebSocket socket, OutboundBudget budget, Consumer<String> closeAsSlow) {
        Context current = Vertx.currentContext();
        if (current == null || !current.isEventLoopContext()) {
            // Without the loop there is nothing to hand frames to: a null context would even make every
            // thread look like the socket's own (enqueue compares), and frames would go out from workers.
            throw new IllegalStateException("a socket's outbox must be made on the socket's event loop, not on "
                    + Thread.currentThread().getName());
        }
        this.socket = socket;
        this.context = current;
        this.loop = Thread.currentThread();
        this.budget = budget;
        this.closeAsSlow = closeAsSlow;
        socket.setWriteQueueMaxSize(NETTY_BUFFER_BYTES);
        socket.drainHandler(v -> drain());
        budget.register(this);
    }

    /** A live frame: always queued unless the socket holds its cap already (then it is closed, 1008). */
    public void send(String frame) {
        int bytes = frame.length();
        boolean overBudget = budget.reserve(bytes);
        if (!enqueue(frame, bytes, true)) {
            budget.release(bytes);
            if (!isClosed()) {
                closeAsSlow.accept("slow consumer: outbox full");
            }
            return;
        }
        if (overBudget) {
            budget.shed();
        }
    }

    /** A replay frame: queued only if this socket and the node have room for it. */
    public boolean trySend(String frame) {
        int bytes = frame.length();
        synchronized (this) {
            if (closed) {
                return true; // dropped: the replay stops once the session hears of the close
            }
            if (pending >= REPLAY_ROOM_BYTES) {
                return false;
            }
        }
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        if (!enqueue(frame, bytes, false)) {
            budget.release(bytes);
        }
        return true;
    }

    /** Runs {@code action} once when {@link #trySend} may succeed; never after the socket closed. */
    public void onWritable(Runnable action) {
        Runnable once = new Once(action);
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pending >= REPLAY_ROOM_BYTES) {
                writable = once;
                return;
            }
        }
        budget.whenRoom(once); // our socket has room: it was the node's budget
    }

    private boolean enqueue(String frame, int bytes, boolean capped) {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (capped && pending + bytes > budget.limits().perSocketBytes()) {
                return false;
            }
            if (pending == 0) {
                lastProgress = budget.now(); // the slow-consumer clock starts when data is pending
            }
            pending += bytes;
            frames.add(frame);
            schedule = !drainScheduled;
            drainScheduled = true;
        }
        if (schedule) {
            onLoop(this::drain);
        }
        return true;
    }

    /** Runs {@code action} on the socket's event loop: at once when called there, else handed over. */
    public void onLoop(Runnable action) {
        // The same context object, not merely the same thread: code of another context that happens
        // to run on this loop (a write completion of another socket, a timer) hands over rather than
        // nesting this socket's writes inside its call.
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /**
     * The guard of the write path: true on the socket's event loop. Off it, the caller must not touch
     * the socket; it is logged as the bug it is (with the caller's stack) and the work is handed over.
     */
    private boolean onSocketLoop(Runnable retry) {
        if (Thread.currentThread() == loop) {
            return true;
        }
        IllegalStateException where = new IllegalStateException(
                "socket frames written from " + Thread.currentThread().getName() + ", not its event loop " + loop.getName());
        LOG.error("write path off the socket's event loop; handed over", where);
        assert false : where.getMessage(); // tests run with assertions: fail loudly there
        context.runOnContext(v -> retry.run());
        return false;
    }

    /** On the event loop: writes while Netty has room; the drain handler calls again when it has. */
    private void drain() {
        if (!onSocketLoop(this::drain)) {
            return;
        }
        while (true) {
            String frame;
            synchronized (this) {
                if (closed || frames.isEmpty()) {
                    drainScheduled = false;
                    return;
                }
                try {
                    if (socket.writeQueueFull()) {
                        return; // stays scheduled: the drain handler resumes
                    }
                } catch (IllegalStateException peerClosed) {
                    // The peer closed before our close handler ran: nothing more can be written.
                    drainScheduled = false;
                    return;
                }
                frame = frames.poll();
            }
            int bytes = frame.length();
            socket.writeTextMessage(frame).onComplete(done -> written(bytes));
        }
    }

    /** Netty wrote (or, closing, dropped) a frame: its bytes left the heap. */
    private void written(int bytes) {
        Runnable wake = null;
        synchronized (this) {
            pending -= bytes;
            lastProgress = budget.now();
            if (pending < REPLAY_ROOM_BYTES && writable != null) {
                wake = writable;
                writable = null;
            }
        }
        budget.release(bytes);
        if (wake != null) {
            wake.run();
        }
    }

    /** How long frames have been pending without any leaving; zero when nothing is pending. */
    synchronized Duration stalledFor(Instant now) {
        if (closed || pending == 0) {
            return Duration.ZERO;
        }
        return Duration.between(lastProgress, now);
    }

    synchronized long pendingBytes() {
        return pending;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Chosen by the budget as a slow consumer. */
    void slowConsumer(String reason) {
        closeAsSlow.accept(reason);
    }

    /**
     * Closes after the frames already queued (e.g. {@code SESSION_END} before 1000): on the event
     * loop, hands them all to Netty, which writes them before the close frame, then runs
     * {@code closeSocket}. Their bytes stay counted until Netty wrote or dropped them.
     */
    void closeAfterQueued(Runnable closeSocket) {
        Runnable flushAndClose = () -> {
            assert Thread.currentThread() == loop : "closing off the socket's event loop";
            java.util.List<String> rest;
            synchronized (this) {
                if (closed) {
                    rest = java.util.List.of();
                } else {
                    closed = true;
                    writable = null;
                    rest = java.util.List.copyOf(frames);
                    frames.clear();
                }
            }
            budget.unregister(this);
            for (String frame : rest) {
                int bytes = frame.length();
                socket.writeTextMessage(frame).onComplete(done -> written(bytes));
            }
            closeSocket.run();
        };
        onLoop(flushAndClose);
    }

    /**
     * The socket is closing: frames not yet handed to Netty are dropped and given back to the
     * budget (what Netty holds comes back as its writes fail). Idempotent.
     */
    public void closed() {
        long dropped = 0;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            writable = null;
            for (String frame : frames) {
                dropped += frame.length();
            }
            frames.clear();
            pending -= dropped;
        }
        budget.unregister(this);
        budget.release(dropped);
    }

    /** Runs its action at most once, whichever wake-up comes first. */
    private static final class Once implements Runnable {
        private final java.util.concurrent.atomic.AtomicReference<Runnable> action;

        Once(Runnable action) {
            this.action = new java.util.concurrent.atomic.AtomicReference<>(action);
        }

        @Override
        public void run() {
            Runnable a = action.getAndSet(null);
            if (a != null) {
                a.run();
            }
        }
    }
}
