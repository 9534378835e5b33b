package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PasswordPoolTest {

    @Test
    void whenEveryThreadIsBusyAndTheQueueIsFullTheNextCheckIsRefusedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (PasswordPool pool = new PasswordPool(2, 3)) {
            List<CompletableFuture<String>> accepted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Optional<CompletableFuture<String>> task = pool.trySubmit(() -> await(release));
                assertThat(task).as("task %d", i).isPresent();
                accepted.add(task.get());
            }

            assertThat(pool.<String>trySubmit(() -> "one too many")).isEmpty();

            release.countDown();
            for (CompletableFuture<String> task : accepted) {
                assertThat(task.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            }
            assertThat(pool.trySubmit(() -> "room again").orElseThrow().get(10, TimeUnit.SECONDS)).isEqualTo("room again");
        }
    }

    @Test
    void bcryptRunsOnThePoolsOwnThreads() throws Exception {
        try (PasswordPool pool = new PasswordPool(1, 1)) {
            String thread = pool.trySubmit(() -> Thread.currentThread().getName()).orElseThrow().get(10, TimeUnit.SECONDS);

            assertThat(thread).startsWith("parley-bcrypt-");
        }
    }

    private static String await(CountDownLatch release) {
        try {
            return release.await(10, TimeUnit.SECONDS) ? "done" : "timed out";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
