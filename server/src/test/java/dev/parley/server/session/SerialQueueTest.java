package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Issue 10: the session's serial queue runs tasks in order without a thread hop that is not needed. */
class SerialQueueTest {
    /** Runs what it is given when told to, counting hand-overs. */
    private static final class CountingExecutor implements Executor {
        final List<Runnable> pending = new ArrayList<>();
        int handOvers;

        @Override
        public void execute(Runnable command) {
            handOvers++;
            pending.add(command);
        }

        void runAll() {
            while (!pending.isEmpty()) {
                pending.remove(0).run();
            }
        }
    }

    private final CountingExecutor executor = new CountingExecutor();
    private final SerialQueue queue = new SerialQueue(executor, 256);
    private final List<String> ran = new ArrayList<>();

    @Test
    void tasksThatCompleteAtOnceRunInOrderInOneHandOverToTheExecutor() {
        queue.submit(() -> ran.add("a"));
        queue.submit(() -> ran.add("b"));
        queue.submit(() -> ran.add("c"));

        executor.runAll();

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(executor.handOvers).isEqualTo(1);
    }

    @Test
    void aTaskWaitingForItsStageHoldsTheNextOneUntilItCompletesAndNothingIsScheduledWhenTheQueueIsEmpty() {
        CompletableFuture<Void> journal = new CompletableFuture<>();
        queue.submit(() -> {
            ran.add("store");
            return journal;
        });
        queue.submit(() -> ran.add("next"));
        executor.runAll();
        assertThat(ran).containsExactly("store");

        journal.complete(null);
        executor.runAll();
        assertThat(ran).containsExactly("store", "next");
        assertThat(executor.handOvers).isEqualTo(2);

        CompletableFuture<Void> alone = new CompletableFuture<>();
        queue.submit(() -> alone);
        executor.runAll();
        alone.complete(null);
        assertThat(executor.pending).as("nothing queued: no run scheduled").isEmpty();
        queue.submit(() -> ran.add("later"));
        executor.runAll();
        assertThat(ran).containsExactly("store", "next", "later");
    }
}
