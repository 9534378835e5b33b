package dev.parley.client;

import dev.parley.server.time.ManualScheduler;
import java.time.Duration;

/** {@link Timers} on the server test-jar's {@link ManualScheduler}: time moves only when a test says so. */
final class ManualTimers implements Timers {
    final ManualScheduler scheduler = new ManualScheduler();

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return scheduler.schedule(delay, task)::cancel;
    }

    void advance(Duration duration) {
        scheduler.advance(duration);
    }
}
