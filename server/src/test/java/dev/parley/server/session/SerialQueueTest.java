package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * The serial queue on an executor the test drives by hand: each {@link Executor#execute} is one
 * hop to another thread in production, so counting them shows where the queue runs a task in place.
 */
class SerialQueueTest {
    /** Holds what the queue hands to the executor until the test runs it. */
    private static final class HandDrivenExecutor implements Executor {
        private final ArrayDeque<Runnable> pending = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            pending.add(command);
        }

        int pending() {
            return pending.size();
        }

        void runOne() {
            pending.poll().run();
        }
    }

    private final HandDrivenExecutor executor = new HandDrivenExecutor();
    private final SerialQueue queue = new SerialQueue(executor, 256);
    private final List<String> ran = new ArrayList<>();

    @Test
    void synchronousTasksRunBackToBackInOrderAfterOneHop() {
        queue.submit(() -> ran.add("a"));
        queue.submit(() -> ran.add("b"));
        queue.submit(() -> ran.add("c"));
        assertThat(executor.pending()).isOne();

        executor.runOne();

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(executor.pending()).isZero();
    }

    @Test
    void theNextTaskWaitsForTheStageOfTheOneBeforeAndResumesOnTheExecutor() {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        queue.submit(() -> {
            ran.add("slow started");
            return slow;
        });
        queue.submit(() -> ran.add("next"));
        executor.runOne();
        assertThat(ran).containsExactly("slow started");
        assertThat(executor.pending()).isZero();

        slow.complete(null); // e.g. the journal's writer thread confirming an append

        assertThat(ran).as("never on the completing thread").containsExactly("slow started");
        executor.runOne();
        assertThat(ran).containsExactly("slow started", "next");
    }

    @Test
    void aLongRunOfSynchronousTasksYieldsTheThreadEverySixtyFourTasks() {
        for (int i = 0; i < 65; i++) {
            String name = "t" + i;
            queue.submit(() -> ran.add(name));
        }
        executor.runOne();
        assertThat(ran).hasSize(64);
        assertThat(executor.pending()).as("the rest waits behind other work").isOne();

        executor.runOne();
        assertThat(ran).hasSize(65).endsWith("t64");
        assertThat(executor.pending()).isZero();
    }

    @Test
    void aFailingTaskOrStageDoesNotStopTheQueue() {
        queue.submit(() -> {
            throw new IllegalStateException("a bug in one task");
        });
        queue.submit(() -> CompletableFuture.failedFuture(new IllegalStateException("a failed stage")));
        queue.submit(() -> ran.add("after"));

        executor.runOne();

        assertThat(ran).containsExactly("after");
    }

    @Test
    void aTaskSubmittedOnceTheQueueIsIdleStartsANewRun() {
        queue.submit(() -> ran.add("first"));
        executor.runOne();
        queue.submit(() -> ran.add("second"));
        assertThat(executor.pending()).isOne();

        executor.runOne();

        assertThat(ran).containsExactly("first", "second");
    }
}
