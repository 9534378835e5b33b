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

    private void runNext() {
        Supplier<? extends CompletionStage<?>> task;
        synchronized (this) {
            task = tasks.poll();
            if (task == null) {
                running = false;
                return;
            }
        }
        CompletionStage<?> stage;
        try {
            stage = task.get();
        } catch (RuntimeException | Error e) {
            LOG.error("session task failed", e);
            stage = CompletableFuture.completedFuture(null);
        }
        stage.whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.error("session task failed", failure);
            }
            executor.execute(this::runNext);
        });
    }
}
