package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.ScriptedAgent;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ControllableStore;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a session whose rebuild from the store fails once (a transient read error) is not
 * remembered as failed; the next connect rebuilds it again and gets the session.
 */
class SessionActivationFailureTest {
    @TempDir
    Path dir;
    private SqliteStore store;
    private ControllableStore port;
    private GroupCommitWriter journal;
    private ExecutorService executor;
    private SessionRegistry registry;

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir);
        port = new ControllableStore(store);
        journal = new GroupCommitWriter(port, 100);
        executor = Executors.newFixedThreadPool(2);
        ManualScheduler time = new ManualScheduler();
        store.upsertConnector(new Connector("con_1", "hash", "example.com", time.now(), null));
        SessionSettings settings = new SessionSettings(30, Duration.ofMinutes(2), Duration.ofMinutes(10), 3, 16,
                () -> () -> true);
        registry = new SessionRegistry(new SessionServices(journal, port,
                new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO), time.clock(), executor, settings), store);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        journal.close();
        store.close();
    }

    @Test
    void aSessionWhoseRebuildFailedOnceIsRebuiltOnTheNextFind() {
        String id = registry.create("con_1", "web", false).toCompletableFuture().join().id();
        port.failNextReads(1);

        CompletableFuture<Optional<SessionActor>> failed = registry.find(id).toCompletableFuture();

        assertThat(failed).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                .withRootCauseInstanceOf(StoreException.class);
        Optional<SessionActor> found = registry.find(id).toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(found).as("rebuilt after the failure").isPresent();
        assertThat(found.get().record().id()).isEqualTo(id);
        assertThat(registry.liveCount()).isEqualTo(1);
    }
}
