package dev.parley.client;

import dev.parley.server.time.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** {@link Timers} on the server test-jar's {@link ManualScheduler}: time moves only when a test says so. */
final class ManualTimers implements Timers {
    final ManualScheduler scheduler;

    ManualTimers() {
        this(ManualScheduler.DEFAULT_START);
    }

    ManualTimers(Instant start) {
        scheduler = new ManualScheduler(start);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return scheduler.schedule(delay, task)::cancel;
    }

    void advance(Duration duration) {
        scheduler.advance(duration);
    }

    /** The same virtual time, for the SDK's and the server's clocks. */
    Clock clock() {
        return scheduler.clock();
    }
}
