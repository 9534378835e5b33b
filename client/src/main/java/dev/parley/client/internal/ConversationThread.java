package dev.parley.client.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread, {@code parley-client-conversation-N}, that owns a conversation's state. Every
 * other thread (callers, socket callbacks, timers, HTTP completions) only hands tasks to it, so the
 * conversation's parts need no locks and the listener is never called under one. As an
 * {@link Executor} it silently drops work once the thread has stopped. Thread-safe.
 */
final class ConversationThread implements Executor {
    // The conversation's logger: these messages are about the conversation, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(new NamedThreads("parley-client-conversation-" + COUNT.incrementAndGet()));
    /** Set once by the thread itself, read anywhere: lets a closer avoid waiting on itself. */
    private volatile Thread thread;

    /** Records which thread runs the tasks; the first task of every conversation. */
    void begin() {
        post(() -> thread = Thread.currentThread());
    }

    /** Runs {@code task} on the conversation thread; false once that thread has stopped. */
    boolean post(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("conversation task failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void execute(Runnable task) {
        post(task);
    }

    /** True when called from the conversation thread itself. */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Lets the thread end once the tasks already queued have run. */
    void shutdown() {
        executor.shutdown();
    }

    /** Waits up to {@code timeout} for the thread to end; false if it is still running. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
