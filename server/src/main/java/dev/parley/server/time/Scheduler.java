package dev.parley.server.time;

import java.time.Duration;

/** Runs tasks later. Injected so that tests can move time by hand instead of waiting. */
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, first after one period. */
    Cancellable every(Duration period, Runnable task);

    interface Cancellable {
        void cancel();
    }
}
