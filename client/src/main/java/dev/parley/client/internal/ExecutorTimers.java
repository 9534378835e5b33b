package dev.parley.client.internal;

import dev.parley.client.Timers;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The default {@link Timers}: one daemon thread, {@code parley-client-timers-N}, owned by a client. */
public final class ExecutorTimers implements Timers, AutoCloseable {
    private final ScheduledThreadPoolExecutor executor;

    public ExecutorTimers() {
        executor = new ScheduledThreadPoolExecutor(1, new NamedThreads("parley-client-timers"));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (executor.isShutdown()) {
            return () -> { };
        }
        ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
