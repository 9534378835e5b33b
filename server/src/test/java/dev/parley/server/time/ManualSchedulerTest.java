package dev.parley.server.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> ran = new ArrayList<>();

    @Test
    void nothingRunsUntilTimeAdvances() {
        scheduler.schedule(Duration.ZERO, () -> ran.add("now"));
        assertThat(ran).isEmpty();
        scheduler.runDue();
        assertThat(ran).containsExactly("now");
    }

    @Test
    void dueTasksRunInTimeOrderThenSchedulingOrder() {
        scheduler.schedule(Duration.ofSeconds(2), () -> ran.add("b"));
        scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
        scheduler.schedule(Duration.ofSeconds(2), () -> ran.add("c"));
        scheduler.schedule(Duration.ofSeconds(5), () -> ran.add("later"));

        scheduler.advance(Duration.ofSeconds(2));

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    void aTaskSeesItsOwnDueTimeAndTheClockEndsAtTheTarget() {
        List<Long> seen = new ArrayList<>();
        scheduler.schedule(Duration.ofSeconds(3), () -> seen.add(scheduler.clock().millis()));

        scheduler.advance(Duration.ofSeconds(10));

        long start = ManualScheduler.DEFAULT_START.toEpochMilli();
        assertThat(seen).containsExactly(start + 3_000);
        assertThat(scheduler.now()).isEqualTo(ManualScheduler.DEFAULT_START.plusSeconds(10));
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        scheduler.schedule(Duration.ofSeconds(1), () -> {
            ran.add("first");
            scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("second"));
            scheduler.schedule(Duration.ofSeconds(5), () -> ran.add("too late"));
        });

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void periodicTasksRepeatUntilCancelled() {
        Scheduler.Cancellable handle = scheduler.every(Duration.ofSeconds(3), () -> ran.add("tick"));

        scheduler.advance(Duration.ofSeconds(10));
        assertThat(ran).hasSize(3);

        handle.cancel();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(ran).hasSize(3);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void cancelledTasksNeverRun() {
        scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("x")).cancel();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
    }

    @Test
    void timeCannotGoBack() {
        assertThatThrownBy(() -> scheduler.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
