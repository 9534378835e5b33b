package dev.parley.server.desk;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The only threads that run bcrypt: a few, with a short queue. bcrypt is slow on purpose (a few
 * hundred milliseconds at cost 12); on the shared worker pool a handful of parallel log-ins held up
 * every session. Here they can only hold up each other, and when the queue is full the caller is
 * told at once instead of waiting behind an unbounded backlog.
 */
public final class PasswordPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;

    public PasswordPool(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), runnable -> {
                    Thread thread = new Thread(runnable, "parley-bcrypt-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** The task's future, or empty when every thread is busy and the queue is full. */
    public <T> Optional<CompletableFuture<T>> trySubmit(Supplier<T> task) {
        try {
            return Optional.of(CompletableFuture.supplyAsync(task, executor));
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
