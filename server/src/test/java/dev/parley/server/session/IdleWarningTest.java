package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.client.Heartbeat;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.ScriptedAgent;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code EVENT_TYPE_SESSION_IDLE_WARNING} on virtual time: sent once per quiet spell a set lead
 * before the inactivity end (PROTOCOL.md §13.13), live only, and postponed with the end by any
 * client frame.
 */
class IdleWarningTest {
    private static final Duration INACTIVITY = Duration.ofMinutes(10);
    private static final Duration LEAD = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    private SqliteStore store;
    private GroupCommitWriter journal;
    private ExecutorService executor;
    private ManualScheduler time;
    private SessionRegistry registry;

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir);
        journal = new GroupCommitWriter(store, 1000);
        executor = Executors.newFixedThreadPool(2);
        time = new ManualScheduler();
        // The socket idle timeout equals the inactivity timeout, so a silent socket is still open to hear the warning.
        SessionSettings settings = new SessionSettings(30, INACTIVITY, INACTIVITY, 3, 16, LEAD, () -> () -> true);
        registry = new SessionRegistry(new SessionServices(journal, store,
                new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO), time.clock(), executor, settings), store);
        store.upsertConnector(new dev.parley.server.store.Connector("con_1", "hash", "example.com", time.now(), null));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        journal.close();
        store.close();
    }

    @Test
    void aSilentSessionIsWarnedOnceALeadBeforeItEndsAndActivityAfterTheWarningPostponesWarningAndEnd() {
        String id = registry.create("con_1", "web", false).toCompletableFuture().join().id();
        SessionActor session = registry.find(id).toCompletableFuture().join().orElseThrow();
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();
        Instant quietSince = time.now();

        time.advance(INACTIVITY.minus(LEAD).minusSeconds(1));
        sweepAndSettle(session);
        assertThat(c.nothingQueued()).as("no warning before the lead").isTrue();

        time.advance(Duration.ofSeconds(1));
        registry.sweep();
        JsonNode warning = c.next("SESSION_IDLE_WARNING");
        assertThat(warning.get("sequence").isNull()).as("transient").isTrue();
        assertThat(warning.path("payload").path("seconds_remaining").asLong()).isEqualTo(60);
        assertThat(warning.path("payload").path("ends_at").asText())
                .isEqualTo(Timestamps.format(quietSince.plus(INACTIVITY)));

        time.advance(Duration.ofSeconds(10));
        sweepAndSettle(session);
        assertThat(c.nothingQueued()).as("one warning per quiet spell").isTrue();

        session.receive(c, new Heartbeat(null, null)); // the user is back: a new window starts now
        c.next("HEARTBEAT");
        Instant backAt = time.now();
        time.advance(LEAD); // past the first spell's end
        sweepAndSettle(session);
        assertThat(session.isEnded()).isFalse();
        assertThat(c.nothingQueued()).as("neither warning nor end of the old window").isTrue();

        time.advance(Duration.between(time.now(), backAt.plus(INACTIVITY).minus(LEAD)));
        registry.sweep();
        assertThat(c.next("SESSION_IDLE_WARNING").path("payload").path("seconds_remaining").asLong()).isEqualTo(60);

        time.advance(LEAD);
        registry.sweep();
        assertThat(c.next("SESSION_END").path("payload").path("reason").asText()).isEqualTo("REASON_USER_ABANDONED");
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.NORMAL);

        RecordingConnection later = new RecordingConnection();
        session.attach(later, 0);
        assertThat(later.replay()).as("warnings are not journaled").extracting(e -> e.path("type").asText())
                .containsExactly("EVENT_TYPE_SESSION_START", "EVENT_TYPE_SESSION_END");
    }

    @Test
    void aZeroLeadSendsNoWarningBeforeTheEnd() {
        SessionRegistry silent = new SessionRegistry(new SessionServices(journal, store,
                new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO), time.clock(), executor,
                new SessionSettings(30, INACTIVITY, INACTIVITY, 3, 16, Duration.ZERO, () -> () -> true)), store);
        SessionActor session = silent.find(silent.create("con_1", "web", false).toCompletableFuture().join().id())
                .toCompletableFuture().join().orElseThrow();
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();

        time.advance(INACTIVITY.minusSeconds(1));
        silent.sweep();
        time.advance(Duration.ofSeconds(1));
        silent.sweep();

        assertThat(c.next().path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_END");
    }

    /** Sweeps, then waits until the session's queue ran past it: a desk's replay comes after the timers. */
    private void sweepAndSettle(SessionActor session) {
        registry.sweep();
        RecordingConnection barrier = new RecordingConnection();
        session.attachObserver(barrier, Long.MAX_VALUE);
        barrier.next("EVENT_BATCH");
        session.detachObserver(barrier);
    }
}
