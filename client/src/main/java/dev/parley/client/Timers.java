package dev.parley.client;

import java.time.Duration;

/**
 * Schedules the SDK's delayed work: heartbeats, receipt timeouts, reconnect back-off and token
 * renewal. Injected through {@link ClientOptions#timers()} so tests can drive time by hand; the
 * default runs tasks on one daemon thread owned by the {@link ParleyClient}.
 *
 * <p>Tasks must be short: the SDK's tasks only hand work over to a conversation's own thread.
 */
@FunctionalInterface
public interface Timers {

    /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run yet. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Cancels a scheduled task; cancelling twice or after it ran does nothing. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
