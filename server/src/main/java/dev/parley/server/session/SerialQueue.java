package dev.parley.server.session;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs asynchronous tasks one at a time, in submission order, on a shared executor: the next task
 * starts only when the stage returned by the previous one completes. This is what makes a session
 * a serial actor (ARCHITECTURE.md rule 1) without a thread per session.
 */
final class SerialQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);

    /** Tasks run one after another on one thread before the rest is handed back to the executor. */
    static final int IN_A_ROW = 16;

    private final Executor executor;
    private final int externalCapacity;
    /** Guarded by {@code this}. */
    private final ArrayDeque<Supplier<? extends CompletionStage<?>>> tasks = new ArrayDeque<>();
    /** Guarded by {@code this}: true while a task runs or a run is scheduled. */
    private boolean running;

    SerialQueue(Executor executor, int externalCapacity) {
        this.executor = executor;
        this.externalCapacity = externalCapacity;
    }

    /** Queues a task from outside (a client frame); refused when the queue is already long. */
    boolean offer(Supplier<? extends CompletionStage<?>> task) {
        return enqueue(task, true);
    }

    /** Queues a task from inside (agent output, timers); never refused so no outcome is lost. */
    void submit(Supplier<? extends CompletionStage<?>> task) {
        enqueue(task, false);
    }

    /** Queues a synchronous task. */
    void submit(Runnable task) {
        submit(() -> {
            task.run();
            return CompletableFuture.completedFuture(null);
        });
    }

    private boolean enqueue(Supplier<? extends CompletionStage<?>> task, boolean bounded) {
        synchronized (this) {
            if (bounded && tasks.size() >= externalCapacity) {
                return false;
            }
            tasks.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        executor.execute(this::runNext);
        return true;
    }

    /**
     * Runs queued tasks. A task whose stage is already complete is followed by the next one on this
     * thread, up to {@link #IN_A_ROW}; only a task still running (waiting for the journal, say) hands
     * the next one back to the executor when it completes, and only if there is one. Why: a hop to
     * the executor after every task, even with nothing queued, was one of the thread hops each
     * message paid (issue 10).
     */
    private void runNext() {
        for (int ran = 1; ; ran++) {
            Supplier<? extends CompletionStage<?>> task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            CompletableFuture<?> stage = start(task);
            if (!stage.isDone() || ran >= IN_A_ROW) {
                // Later, or now after a long run of tasks (so other sessions get the thread too).
                stage.whenComplete((ignored, failure) -> {
                    logFailure(failure);
                    scheduleNextIfAny();
                });
                return;
            }
            logFailure(stage.handle((ignored, failure) -> failure).join());
        }
    }

    private static CompletableFuture<?> start(Supplier<? extends CompletionStage<?>> task) {
        try {
            return task.get().toCompletableFuture();
        } catch (RuntimeException | Error e) {
            LOG.error("session task failed", e);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static void logFailure(Throwable failure) {
        if (failure != null) {
            LOG.error("session task failed", failure);
        }
    }

    private void scheduleNextIfAny() {
        synchronized (this) {
            if (tasks.isEmpty()) {
                running = false; // the next enqueue schedules a run
                return;
            }
        }
        executor.execute(this::runNext);
    }
}
