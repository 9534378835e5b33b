package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue positions with many waiting users: right for everyone, and told without flooding anyone. */
@BothStores
class DeskQueuePositionsTest {
    private static final Duration STATUS_PERIOD = Duration.ofMinutes(5);
    private static final List<QueueSettings> QUEUES = List.of(
            QueueSettings.auto("support", Duration.ofHours(1)),
            new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofHours(1), true));

    @TempDir
    Path dir;
    private NodeStore store;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final Positions positions = new Positions();
    private Desk desk;

    /**
     * The last place each user was told, as a client would show it, and how many statuses went
     * out. Refuses more than {@code limit} statuses, so a desk that floods fails at once.
     */
    static final class Positions implements ConversationControl {
        final Map<String, Integer> shown = new HashMap<>();
        final List<String> joined = new ArrayList<>();
        int statuses;
        int limit = Integer.MAX_VALUE;

        @Override
        public void queueStatus(String sessionId, String queue, int position, int estimate) {
            if (++statuses > limit) {
                throw new AssertionError("more than " + limit + " queue statuses");
            }
            shown.put(sessionId, position);
        }

        @Override
        public void liveAgentJoined(String sessionId, DeskAgent agent) {
            joined.add(sessionId);
            shown.remove(sessionId);
        }

        @Override
        public void liveAgentFinished(String sessionId) {
        }

        @Override
        public void handoffTimedOut(String sessionId) {
        }

        @Override
        public void handoffFailed(String sessionId) {
        }
    }

    @BeforeEach
    void setUp() {
        store = DeskFixtures.storeWithConnector(dir);
        desk = new Desk(QUEUES, store, positions, clock, Runnable::run, Duration.ofMinutes(1), STATUS_PERIOD);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    /** Enqueues as a session does: the position in the answer is what the session announces itself. */
    private List<String> enqueue(String queue, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("s%04d", i);
            DeskFixtures.session(store, id);
            EnqueueResult result = desk.enqueue(id, DeskFixtures.CONNECTOR, queue).toCompletableFuture().join();
            positions.shown.put(id, ((EnqueueResult.Queued) result).position());
            desk.accepted(id);
            ids.add(id);
        }
        return ids;
    }

    /** What a second of desk time does: held-back places go out with the tick. */
    private void aSecondLater() {
        clock.advance(Duration.ofSeconds(1));
        desk.tick();
    }

    private void assertEveryoneSeesTheirPlace(List<String> waiting) {
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < waiting.size(); i++) {
            expected.put(waiting.get(i), i + 1);
        }
        assertThat(positions.shown).isEqualTo(expected);
    }

    @Test
    void aThousandWaitingUsersSeeTheirRightPlaceAfterEnqueuesDeparturesFromTheMiddleAndClaimsFromTheHead() {
        DeskAgent agent = new DeskAgent("agt_a", DeskFixtures.CONNECTOR, "Agent A", null, List.of("sales"), 1000);
        store.createAgent(agent, "unused-hash");
        desk.connect(agent, new DeskTest.Listener());
        List<String> waiting = new ArrayList<>(enqueue("sales", 1000));
        assertEveryoneSeesTheirPlace(waiting);

        aSecondLater();
        List<String> leaving = List.copyOf(waiting.subList(400, 550));
        leaving.forEach(desk::sessionEnded);
        leaving.forEach(waiting::remove);
        positions.shown.keySet().removeAll(leaving);
        aSecondLater();
        assertEveryoneSeesTheirPlace(waiting);

        for (int i = 0; i < 100; i++) {
            Optional<HandoffRecord> claimed = desk.claim("agt_a", null).toCompletableFuture().join();
            assertThat(claimed).map(HandoffRecord::sessionId).contains(waiting.get(0));
            waiting.remove(0);
        }
        aSecondLater();
        assertEveryoneSeesTheirPlace(waiting);
        assertThat(positions.joined).hasSize(100);

        int before = positions.statuses;
        aSecondLater();
        assertThat(positions.statuses).as("nothing moved, nothing said").isEqualTo(before);
    }

    @Test
    void endingFiveHundredQueuedSessionsAtOnceTellsEachWaitingUserAFewTimesNotOncePerDeparture() {
        store.createAgent(new DeskAgent("agt_a", DeskFixtures.CONNECTOR, "Agent A", null, List.of("support"), 1),
                "unused-hash"); // exists, not connected: nobody is assigned
        List<String> waiting = new ArrayList<>(enqueue("support", 500));
        positions.limit = 2 * 500;

        aSecondLater();

        // All of them end within half a second (a load test stopping, a node draining), the tick running meanwhile.
        for (int i = 0; i < 500; i++) {
            desk.sessionEnded(waiting.remove(0));
            clock.advance(Duration.ofMillis(1));
            if (i % 100 == 99) {
                desk.tick();
            }
        }
        aSecondLater();

        assertThat(store.openHandoffs()).isEmpty();
        assertThat(positions.statuses).isLessThanOrEqualTo(2 * 500);
    }

    @Test
    void aUserHearsANewPlaceAtOnceWhenTheyHaveNotHeardOneForASecond() {
        store.createAgent(new DeskAgent("agt_a", DeskFixtures.CONNECTOR, "Agent A", null, List.of("support"), 1),
                "unused-hash");
        List<String> waiting = new ArrayList<>(enqueue("support", 3));
        clock.advance(Duration.ofSeconds(1));

        String first = waiting.remove(0);
        desk.sessionEnded(first);
        positions.shown.remove(first);

        assertEveryoneSeesTheirPlace(waiting.subList(0, 2));
        assertThat(positions.statuses).isEqualTo(2);
    }
}
