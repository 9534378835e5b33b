package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.NodeStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk times waits, handling and first responses on its own clock, per queue and agent (issue 14). */
class DeskTeamMeterTest {
    private static final List<QueueSettings> QUEUES = List.of(QueueSettings.auto("support", Duration.ofMinutes(5)),
            QueueSettings.auto("billing", Duration.ofMinutes(5)));

    @TempDir
    Path dir;
    private NodeStore store;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final Recorded meter = new Recorded();
    private Desk desk;

    /** Every measurement, one line each: "wait support assigned 30". */
    static final class Recorded implements TeamMeter {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void waited(String queue, WaitOutcome outcome, Duration wait) {
            lines.add("wait " + queue + " " + outcome.name().toLowerCase() + " " + wait.toSeconds());
        }

        @Override
        public void handled(String queue, String agentId, Duration handling) {
            lines.add("handling " + queue + " " + agentId + " " + handling.toSeconds());
        }

        @Override
        public void firstResponse(String queue, String agentId, Duration delay) {
            lines.add("first response " + queue + " " + agentId + " " + delay.toSeconds());
        }
    }

    @BeforeEach
    void setUp() {
        store = DeskFixtures.storeWithConnector(dir);
        desk = new Desk(QUEUES, store, new DeskTest.Recording(), clock, Runnable::run, Duration.ofSeconds(60),
                Duration.ofSeconds(15), meter);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private DeskAgent agent(String id) {
        DeskAgent agent = new DeskAgent(id, DeskFixtures.CONNECTOR, "Agent " + id, null, List.of("support", "billing"), 1);
        store.createAgent(agent, "unused-hash");
        return agent;
    }

    private void enqueue(String sessionId, String queue) {
        DeskFixtures.session(store, sessionId);
        desk.enqueue(sessionId, DeskFixtures.CONNECTOR, queue).toCompletableFuture().join();
        desk.accepted(sessionId);
    }

    @Test
    void aWaitEndsAtAssignmentAndHandlingAtTheEnd() {
        DeskAgent sarah = agent("agt_a"); // serves the queue, not connected yet
        enqueue("s1", "support");
        clock.advance(Duration.ofSeconds(30));
        desk.connect(sarah, new DeskTest.Listener());
        clock.advance(Duration.ofSeconds(200));
        assertThat(desk.finish("agt_a", "s1").toCompletableFuture().join()).isTrue();

        assertThat(meter.lines).containsExactly("wait support assigned 30", "handling support agt_a 200");
    }

    @Test
    void aUserWhoLeavesTheQueueCountsAsAnAbandonedWait() {
        agent("agt_a"); // serves the queue, not connected
        enqueue("s1", "support");
        clock.advance(Duration.ofSeconds(45));
        desk.sessionEnded("s1");

        assertThat(meter.lines).containsExactly("wait support abandoned 45");
    }

    @Test
    void leaveTransferAndTakeOverEachEndOneAgentsHandlingAndTheNextWaitCountsFromThen() {
        desk.connect(agent("agt_a"), new DeskTest.Listener());
        enqueue("s1", "support");
        clock.advance(Duration.ofSeconds(10));
        desk.transfer("agt_a", "s1", "billing").toCompletableFuture().join(); // back to agt_a: the only agent
        clock.advance(Duration.ofSeconds(20));
        desk.leave("agt_a", "s1").toCompletableFuture().join(); // waits for a colleague
        clock.advance(Duration.ofSeconds(5));
        desk.connect(agent("agt_b"), new DeskTest.Listener());

        assertThat(meter.lines).containsExactly(
                "wait support assigned 0",
                "handling support agt_a 10",
                "wait billing assigned 0",
                "handling billing agt_a 20",
                "wait billing assigned 5");
    }

    @Test
    void onlyTheAssignedAgentsFirstMessageSinceTheAssignmentIsAFirstResponse() {
        desk.connect(agent("agt_a"), new DeskTest.Listener());
        enqueue("s1", "support"); // assigned to agt_a at once
        clock.advance(Duration.ofSeconds(7));
        desk.replied("agt_b", "s1"); // not theirs
        desk.replied("agt_a", "s1");
        clock.advance(Duration.ofSeconds(3));
        desk.replied("agt_a", "s1"); // a second message
        desk.replied("agt_a", "unknown");

        assertThat(meter.lines).containsExactly("wait support assigned 0", "first response support agt_a 7");
    }

    @Test
    void aConversationGivenBackGetsAnotherFirstResponseFromItsNextAgent() {
        desk.connect(agent("agt_a"), new DeskTest.Listener());
        enqueue("s1", "support");
        clock.advance(Duration.ofSeconds(4));
        desk.replied("agt_a", "s1");
        desk.leave("agt_a", "s1").toCompletableFuture().join();
        desk.connect(agent("agt_b"), new DeskTest.Listener()); // takes it at once
        clock.advance(Duration.ofSeconds(12));
        desk.replied("agt_b", "s1");

        assertThat(meter.lines).filteredOn(l -> l.startsWith("first response"))
                .containsExactly("first response support agt_a 4", "first response support agt_b 12");
    }
}
