package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@BothStores
class DeskTest {
    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final Duration STATUS = Duration.ofSeconds(15);
    private static final List<QueueSettings> QUEUES = List.of(
            QueueSettings.auto("support", Duration.ofMinutes(5)),
            new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofMinutes(5), true));

    @TempDir
    Path dir;
    private NodeStore store;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final Recording conversations = new Recording();
    private Desk desk;

    /** What the desk told conversations, one line per call. */
    static final class Recording implements ConversationControl {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void queueStatus(String s, String queue, int position, int estimate) {
            calls.add("status " + s + " " + queue + " " + position);
        }

        @Override
        public void liveAgentJoined(String s, DeskAgent agent) {
            calls.add("joined " + s + " " + agent.id());
        }

        @Override
        public void liveAgentFinished(String s) {
            calls.add("finished " + s);
        }

        @Override
        public void handoffTimedOut(String s) {
            calls.add("timeout " + s);
        }

        @Override
        public void handoffFailed(String s) {
            calls.add("failed " + s);
        }
    }

    /** What one agent's desk was told. */
    static final class Listener implements DeskListener {
        final List<String> assigned = new ArrayList<>();
        final List<String> unassigned = new ArrayList<>();
        DeskSnapshot last;

        @Override
        public void queuesChanged(DeskSnapshot snapshot) {
            last = snapshot;
        }

        @Override
        public void assigned(HandoffRecord conversation) {
            assigned.add(conversation.sessionId());
        }

        @Override
        public void unassigned(String sessionId, Unassignment why) {
            unassigned.add(sessionId);
        }
    }

    @BeforeEach
    void setUp() {
        store = DeskFixtures.storeWithConnector(dir);
        desk = newDesk();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private Desk newDesk() {
        return new Desk(QUEUES, store, conversations, clock, Runnable::run, GRACE, STATUS);
    }

    private DeskAgent agent(String id, int capacity, String... queues) {
        DeskAgent agent = new DeskAgent(id, DeskFixtures.CONNECTOR, "Agent " + id, null, List.of(queues), capacity);
        store.createAgent(agent, "unused-hash");
        return agent;
    }

    /** Enqueues as a session does: ask, then confirm once HANDOFF_ACCEPTED is out. */
    private EnqueueResult enqueue(String sessionId, String queue) {
        DeskFixtures.session(store, sessionId);
        EnqueueResult result = desk.enqueue(sessionId, DeskFixtures.CONNECTOR, queue).toCompletableFuture().join();
        if (result instanceof EnqueueResult.Queued) {
            desk.accepted(sessionId);
        }
        return result;
    }

    private static int position(EnqueueResult result) {
        return ((EnqueueResult.Queued) result).position();
    }

    private HandoffRecord record(String sessionId) {
        return store.openHandoffs().stream().filter(r -> r.sessionId().equals(sessionId)).findFirst().orElseThrow();
    }

    @Test
    void waitingUsersGetFifoPositions() {
        agent("agt_a", 1, "support"); // exists but is not connected: nobody is assigned

        assertThat(position(enqueue("s1", "support"))).isEqualTo(1);
        assertThat(position(enqueue("s2", "support"))).isEqualTo(2);
        assertThat(position(enqueue("s3", "support"))).isEqualTo(3);
        assertThat(store.openHandoffs()).extracting(HandoffRecord::sessionId).containsExactly("s1", "s2", "s3");
    }

    @Test
    void autoAssignmentPicksTheLeastLoadedAgentWithinCapacity() {
        desk.connect(agent("agt_a", 2, "support"), new Listener());
        desk.connect(agent("agt_b", 1, "support"), new Listener());

        enqueue("s1", "support");
        enqueue("s2", "support");
        enqueue("s3", "support");
        EnqueueResult fourth = enqueue("s4", "support");

        assertThat(conversations.calls).contains("joined s1 agt_a", "joined s2 agt_b", "joined s3 agt_a")
                .noneMatch(c -> c.startsWith("joined s4"));
        assertThat(position(fourth)).isEqualTo(1);
        assertThat(record("s4").status()).isEqualTo(HandoffRecord.Status.WAITING);
    }

    @Test
    void aManualQueueIsNotAutoAssignedButCanBeClaimed() {
        Listener listener = new Listener();
        desk.connect(agent("agt_a", 3, "sales"), listener);

        enqueue("s1", "sales");

        assertThat(conversations.calls).noneMatch(c -> c.startsWith("joined"));
        assertThat(listener.last.queues().get(0).waiting()).extracting(DeskSnapshot.Waiting::sessionId).containsExactly("s1");
        Optional<HandoffRecord> claimed = desk.claim("agt_a", null).toCompletableFuture().join();
        assertThat(claimed).map(HandoffRecord::agentId).contains("agt_a");
        assertThat(conversations.calls).contains("joined s1 agt_a");
        assertThat(listener.assigned).containsExactly("s1");
    }

    @Test
    void whenTwoAgentsClaimTheSameConversationAtOnceExactlyOneWins() throws Exception {
        ExecutorService serial = Executors.newSingleThreadExecutor();
        try {
            desk = new Desk(QUEUES, store, conversations, clock, serial, GRACE, STATUS);
            desk.connect(agent("agt_a", 3, "sales"), new Listener());
            desk.connect(agent("agt_b", 3, "sales"), new Listener());
            enqueue("s1", "sales");
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Optional<HandoffRecord>> a = CompletableFuture.supplyAsync(() -> {
                awaitQuietly(start);
                return desk.claim("agt_a", "s1").toCompletableFuture().join();
            });
            CompletableFuture<Optional<HandoffRecord>> b = CompletableFuture.supplyAsync(() -> {
                awaitQuietly(start);
                return desk.claim("agt_b", "s1").toCompletableFuture().join();
            });
            start.countDown();

            List<Optional<HandoffRecord>> results = List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS));

            assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
            assertThat(conversations.calls).filteredOn(c -> c.startsWith("joined s1")).hasSize(1);
        } finally {
            serial.shutdown();
            assertThat(serial.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aDisconnectedAgentsConversationReturnsToTheHeadOfItsQueueAfterTheGracePeriod() {
        Listener listener = new Listener();
        desk.connect(agent("agt_a", 1, "support"), listener);
        enqueue("s1", "support");
        clock.advance(Duration.ofSeconds(5));
        enqueue("s2", "support");
        desk.disconnect("agt_a", listener);

        clock.advance(GRACE.minusSeconds(1));
        desk.tick();
        assertThat(record("s1").status()).isEqualTo(HandoffRecord.Status.ASSIGNED);

        conversations.calls.clear();
        clock.advance(Duration.ofSeconds(1));
        desk.tick();

        assertThat(record("s1").status()).isEqualTo(HandoffRecord.Status.WAITING);
        assertThat(conversations.calls).contains("status s1 support 1", "status s2 support 2");
    }

    @Test
    void leaveGivesTheConversationBackToTheHeadOfItsQueueForAColleagueNotTheSameAgent() {
        Listener a = new Listener();
        Listener b = new Listener();
        desk.connect(agent("agt_a", 1, "support"), a);
        enqueue("s1", "support");
        enqueue("s2", "support");
        assertThat(a.assigned).containsExactly("s1");
        conversations.calls.clear();

        assertThat(desk.leave("agt_b", "s1").toCompletableFuture().join()).as("not theirs").isFalse();
        assertThat(desk.leave("agt_a", "s1").toCompletableFuture().join()).isTrue();

        // Back first in line, ahead of s2, and not handed straight back to agt_a (who is free again).
        assertThat(record("s1").status()).isEqualTo(HandoffRecord.Status.WAITING);
        assertThat(a.unassigned).containsExactly("s1");
        assertThat(conversations.calls).contains("status s1 support 1").doesNotContain("finished s1");
        assertThat(a.assigned).containsExactly("s1", "s2");

        // A colleague who comes on gets it; the one who left could have claimed it back.
        desk.connect(agent("agt_b", 1, "support"), b);
        assertThat(b.assigned).containsExactly("s1");
        assertThat(conversations.calls).contains("joined s1 agt_b");
    }

    @Test
    void aRequeuedConversationsWaitCountsFromTheRequeueAlsoAfterARestart() {
        Listener listener = new Listener();
        desk.connect(agent("agt_a", 1, "support"), listener);
        enqueue("s1", "support");
        clock.advance(Duration.ofMinutes(30)); // a long live chat, far beyond the queue's 5-minute wait
        desk.disconnect("agt_a", listener);
        clock.advance(GRACE);
        desk.tick();
        assertThat(record("s1").status()).isEqualTo(HandoffRecord.Status.WAITING);

        desk = newDesk(); // a restart: nothing in memory
        desk.recover();
        conversations.calls.clear();
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        desk.tick();
        assertThat(conversations.calls).doesNotContain("timeout s1");

        clock.advance(Duration.ofSeconds(1));
        desk.tick();
        assertThat(conversations.calls).contains("timeout s1");
    }

    @Test
    void aUserWhoWaitsLongerThanTheQueueAllowsTimesOut() {
        agent("agt_a", 1, "support");
        enqueue("s1", "support");

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        desk.tick();
        assertThat(conversations.calls).doesNotContain("timeout s1");

        clock.advance(Duration.ofSeconds(1));
        desk.tick();
        assertThat(conversations.calls).contains("timeout s1");
        assertThat(store.openHandoffs()).isEmpty();
    }

    @Test
    void enqueueIsRefusedForAnUnknownQueueAClosedQueueOrAQueueNobodyServes() {
        agent("agt_a", 1, "support");

        assertThat(enqueue("s1", "nope")).isInstanceOf(EnqueueResult.Refused.class);
        assertThat(enqueue("s2", "sales")).isInstanceOf(EnqueueResult.Refused.class); // nobody serves sales
        desk.setQueueOpen("support", false);
        assertThat(enqueue("s3", "support")).isInstanceOf(EnqueueResult.Refused.class);
        assertThat(store.openHandoffs()).isEmpty();
    }

    @Test
    void anAgentTransfersAConversationToAnotherQueueWhereItWaitsAgain() {
        Listener listener = new Listener();
        desk.connect(agent("agt_a", 1, "support", "sales"), listener);
        enqueue("s1", "support");

        boolean moved = desk.transfer("agt_a", "s1", "sales").toCompletableFuture().join();

        assertThat(moved).isTrue();
        assertThat(conversations.calls).containsSubsequence("joined s1 agt_a", "status s1 sales 1");
        assertThat(record("s1")).extracting(HandoffRecord::queue, HandoffRecord::status)
                .containsExactly("sales", HandoffRecord.Status.WAITING);
        assertThat(listener.unassigned).contains("s1");
        assertThat(desk.transfer("agt_a", "s1", "support").toCompletableFuture().join()).isFalse(); // no longer theirs
    }

    @Test
    void aNewDeskOnTheSameStoreKeepsOrderAndAssignments() {
        DeskAgent a = agent("agt_a", 1, "support");
        desk.connect(a, new Listener());
        enqueue("s1", "support");
        clock.advance(Duration.ofSeconds(1));
        enqueue("s2", "support");
        clock.advance(Duration.ofSeconds(1));
        enqueue("s3", "support");

        desk = newDesk();
        desk.recover().toCompletableFuture().join();
        Listener again = new Listener();
        desk.connect(a, again);

        assertThat(again.assigned).containsExactly("s1");
        DeskSnapshot snapshot = desk.snapshot("agt_a").toCompletableFuture().join();
        assertThat(snapshot.mine()).extracting(HandoffRecord::sessionId).containsExactly("s1");
        assertThat(snapshot.queues().get(0).waiting()).extracting(DeskSnapshot.Waiting::sessionId, DeskSnapshot.Waiting::position)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s2", 1), org.assertj.core.groups.Tuple.tuple("s3", 2));
    }

    @Test
    void theEstimateUsesRecentRealWaits() {
        DeskAgent a = agent("agt_a", 1, "support");
        EnqueueResult first = enqueue("s1", "support");
        assertThat(((EnqueueResult.Queued) first).estimatedWaitSeconds()).isEqualTo(60); // no samples yet

        clock.advance(Duration.ofSeconds(30));
        desk.connect(a, new Listener()); // s1 is assigned after a real wait of 30 s
        EnqueueResult second = enqueue("s2", "support");

        assertThat(conversations.calls).contains("joined s1 agt_a");
        assertThat(((EnqueueResult.Queued) second).estimatedWaitSeconds()).isEqualTo(30);
    }
}
