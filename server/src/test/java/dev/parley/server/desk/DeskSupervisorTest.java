package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor's rules in the desk core: overview, watch, take over, reassign. */
@BothStores
class DeskSupervisorTest {
    private static final List<QueueSettings> QUEUES = List.of(
            QueueSettings.auto("support", Duration.ofMinutes(5)),
            new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofMinutes(5), true),
            QueueSettings.auto("billing", Duration.ofMinutes(5)));

    @TempDir
    Path dir;
    private NodeStore store;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final DeskTest.Recording conversations = new DeskTest.Recording();
    private Desk desk;

    /** What one desk was told, reasons and overviews included. */
    static final class Listener implements DeskListener {
        final List<String> assigned = new ArrayList<>();
        final List<String> unassigned = new ArrayList<>();
        final List<DeskOverview> overviews = new ArrayList<>();

        @Override
        public void queuesChanged(DeskSnapshot snapshot) {
        }

        @Override
        public void assigned(HandoffRecord conversation) {
            assigned.add(conversation.sessionId());
        }

        @Override
        public void unassigned(String sessionId, Unassignment why) {
            unassigned.add(sessionId + " " + why.reason() + (why.byId() == null ? "" : " by " + why.byId()));
        }

        @Override
        public void overviewChanged(DeskOverview overview) {
            overviews.add(overview);
        }

        DeskOverview lastOverview() {
            return overviews.get(overviews.size() - 1);
        }
    }

    @BeforeEach
    void setUp() {
        store = DeskFixtures.storeWithConnector(dir);
        desk = new Desk(QUEUES, store, conversations, clock, Runnable::run, Duration.ofSeconds(60), Duration.ofSeconds(15));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private DeskAgent agent(String id, String... queues) {
        return account(new DeskAgent(id, DeskFixtures.CONNECTOR, "Agent " + id, null, List.of(queues), 1));
    }

    /** A supervisor in no queue: nothing is assigned to them automatically. */
    private DeskAgent supervisor(String id) {
        return account(new DeskAgent(id, DeskFixtures.CONNECTOR, "Boss " + id, null, List.of(), 1, DeskAgent.Role.SUPERVISOR));
    }

    private DeskAgent account(DeskAgent agent) {
        store.createAgent(agent, "unused-hash");
        return agent;
    }

    private void enqueue(String sessionId, String queue) {
        DeskFixtures.session(store, sessionId);
        assertThat(desk.enqueue(sessionId, DeskFixtures.CONNECTOR, queue).toCompletableFuture().join())
                .isInstanceOf(EnqueueResult.Queued.class);
        desk.accepted(sessionId);
    }

    private HandoffRecord record(String sessionId) {
        return store.openHandoffs().stream().filter(r -> r.sessionId().equals(sessionId)).findFirst().orElseThrow();
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void theOverviewAveragesRecentWaitsPerQueueAndHandlingPerAgent() {
        DeskAgent sarah = agent("agt_a", "support");
        supervisor("agt_boss");
        enqueue("s1", "support");
        clock.advance(Duration.ofSeconds(30));
        desk.connect(sarah, new Listener()); // s1 assigned after 30 s
        clock.advance(Duration.ofSeconds(100));
        assertThat(join(desk.finish("agt_a", "s1"))).isTrue();
        enqueue("s2", "support"); // assigned at once
        clock.advance(Duration.ofSeconds(50));
        assertThat(join(desk.finish("agt_a", "s2"))).isTrue();

        DeskOverview overview = join(desk.overview("agt_boss")).orElseThrow();

        assertThat(overview.queues().get(0).averageWaitSeconds()).isEqualTo(15); // (30 + 0) / 2
        assertThat(overview.queues().get(1).averageWaitSeconds()).isEqualTo(DeskOverview.NONE); // nobody yet
        DeskOverview.AgentLoad a = overview.agents().stream().filter(x -> x.id().equals("agt_a")).findFirst().orElseThrow();
        assertThat(a.averageHandlingSeconds()).isEqualTo(75); // (100 + 50) / 2
    }

    @Test
    void theOverviewAveragesFirstResponsesAndRatingsPerQueueAndAgent() {
        DeskAgent sarah = agent("agt_a", "support");
        supervisor("agt_boss");
        desk.connect(sarah, new Listener());
        enqueue("s1", "support"); // assigned at once
        clock.advance(Duration.ofSeconds(20));
        desk.replied("agt_a", "s1");
        assertThat(join(desk.finish("agt_a", "s1"))).isTrue();
        enqueue("s2", "support");
        clock.advance(Duration.ofSeconds(11));
        desk.replied("agt_a", "s2");
        desk.rated("support", "agt_a", 5);
        desk.rated("support", "agt_a", 4);
        desk.rated("support", "agt_a", 4);

        DeskOverview overview = join(desk.overview("agt_boss")).orElseThrow();

        DeskOverview.Service support = overview.queues().get(0).service();
        assertThat(support.firstResponseSeconds()).isEqualTo(16); // (20 + 11) / 2, rounded
        assertThat(support.rating()).isEqualTo(4.3); // 13 / 3 to one decimal
        assertThat(overview.queues().get(1).service()).isEqualTo(DeskOverview.Service.NOTHING);
        DeskOverview.AgentLoad a = overview.agents().stream().filter(x -> x.id().equals("agt_a")).findFirst().orElseThrow();
        assertThat(a.service().firstResponseSeconds()).isEqualTo(16);
        assertThat(a.service().rating()).isEqualTo(4.3);
    }

    @Test
    void theOverviewHasEveryQueueAndAgentOfTheConnectorButPlainAgentsGetNone() {
        Listener a = new Listener();
        desk.connect(agent("agt_a", "support"), a);
        agent("agt_b", "sales"); // never connected: offline
        supervisor("agt_boss");
        enqueue("s1", "support"); // assigned to agt_a (capacity 1)
        enqueue("s2", "support");
        clock.advance(Duration.ofSeconds(30));
        enqueue("s3", "support");
        clock.advance(Duration.ofSeconds(15));

        assertThat(join(desk.overview("agt_a"))).isEmpty();
        DeskOverview overview = join(desk.overview("agt_boss")).orElseThrow();

        assertThat(overview.queues()).extracting(DeskOverview.QueueLoad::name).containsExactly("support", "sales", "billing");
        DeskOverview.QueueLoad support = overview.queues().get(0);
        assertThat(support.waiting()).extracting(DeskSnapshot.Waiting::sessionId).containsExactly("s2", "s3");
        assertThat(support.longestWaitSeconds()).isEqualTo(45);
        assertThat(support.availableAgents()).isEqualTo(1);
        assertThat(overview.queues().get(1).availableAgents()).isZero();
        Map<String, DeskOverview.AgentLoad> agents = new java.util.HashMap<>();
        overview.agents().forEach(x -> agents.put(x.id(), x));
        assertThat(agents).containsOnlyKeys("agt_a", "agt_b", "agt_boss");
        assertThat(agents.get("agt_a").presence()).isEqualTo(Presence.AVAILABLE);
        assertThat(agents.get("agt_a").load()).isEqualTo(1);
        assertThat(agents.get("agt_a").conversations()).extracting(HandoffRecord::sessionId).containsExactly("s1");
        assertThat(agents.get("agt_b").presence()).isEqualTo(Presence.OFFLINE);
        assertThat(agents.get("agt_boss").role()).isEqualTo(DeskAgent.Role.SUPERVISOR);
    }

    @Test
    void anotherConnectorsConversationsAndAgentsAreInvisible() {
        store.upsertConnector(new Connector("con_other", "hash-other", "other", Instant.EPOCH, null));
        DeskAgent stranger = account(new DeskAgent("agt_x", "con_other", "X", null, List.of("sales"), 1));
        desk.connect(stranger, new Listener());
        Listener boss = new Listener();
        desk.connect(supervisor("agt_boss"), boss);
        store.create(new dev.parley.server.store.SessionRecord("s_other", "con_other", "web", false, clock.instant(), null, null),
                new dev.parley.server.store.StoredEvent("s_other", 1, "evt_other", dev.parley.protocol.EventType.SESSION_START,
                        clock.instant(), "{}", null));
        join(desk.enqueue("s_other", "con_other", "sales"));

        DeskOverview overview = join(desk.overview("agt_boss")).orElseThrow();
        assertThat(overview.agents()).extracting(DeskOverview.AgentLoad::id).containsExactly("agt_boss");
        assertThat(overview.queues()).allSatisfy(q -> assertThat(q.waiting()).isEmpty());
        assertThat(join(desk.watch("agt_boss", "s_other")).outcome()).isEqualTo(SupervisorResult.Outcome.NOT_AVAILABLE);
        assertThat(join(desk.takeOver("agt_boss", "s_other")).outcome()).isEqualTo(SupervisorResult.Outcome.NOT_AVAILABLE);
        assertThat(record("s_other").status()).isEqualTo(HandoffRecord.Status.WAITING);
    }

    @Test
    void takingOverAnAssignedConversationTellsTheAgentWhoTookIt() {
        Listener a = new Listener();
        desk.connect(agent("agt_a", "support"), a);
        Listener boss = new Listener();
        desk.connect(supervisor("agt_boss"), boss);
        enqueue("s1", "support");
        assertThat(record("s1").agentId()).isEqualTo("agt_a");
        clock.advance(Duration.ofSeconds(10));

        SupervisorResult result = join(desk.takeOver("agt_boss", "s1"));

        assertThat(result.ok()).isTrue();
        assertThat(result.conversation().agentId()).isEqualTo("agt_boss");
        assertThat(record("s1").agentId()).isEqualTo("agt_boss");
        assertThat(record("s1").assignedAt()).isEqualTo(clock.instant());
        assertThat(a.unassigned).containsExactly("s1 TAKEN_OVER by agt_boss");
        assertThat(boss.assigned).containsExactly("s1");
        // the user hears a second LIVE_AGENT_JOINED naming the supervisor, never LIVE_AGENT_LEFT
        assertThat(conversations.calls).containsSubsequence("joined s1 agt_a", "joined s1 agt_boss")
                .noneMatch(c -> c.startsWith("finished"));
        assertThat(join(desk.owns("agt_a", "s1"))).isFalse();
        assertThat(join(desk.owns("agt_boss", "s1"))).isTrue();
    }

    @Test
    void aWaitingConversationCanBeTakenOverFromAnyQueueButOnlyWithADeskOpen() {
        supervisor("agt_boss");
        agent("agt_s", "sales"); // someone serves sales, but has no desk open
        enqueue("s1", "sales");
        assertThat(join(desk.takeOver("agt_boss", "s1")).outcome()).isEqualTo(SupervisorResult.Outcome.NOT_AVAILABLE);

        Listener boss = new Listener();
        desk.connect(supervisor("agt_boss2"), boss);
        assertThat(join(desk.takeOver("agt_boss2", "s1")).ok()).isTrue();
        assertThat(record("s1").status()).isEqualTo(HandoffRecord.Status.ASSIGNED);
        assertThat(conversations.calls).contains("joined s1 agt_boss2");
        assertThat(join(desk.overview("agt_boss2")).orElseThrow().queues().get(1).waiting()).isEmpty();
    }

    @Test
    void plainAgentsCannotSuperviseAndUnknownConversationsAreRefused() {
        Listener a = new Listener();
        desk.connect(agent("agt_a", "support"), a);
        desk.connect(agent("agt_b", "sales"), new Listener());
        enqueue("s1", "support");

        assertThat(join(desk.takeOver("agt_b", "s1")).outcome()).isEqualTo(SupervisorResult.Outcome.NOT_SUPERVISOR);
        assertThat(join(desk.reassign("agt_b", "s1", "agt_b")).outcome()).isEqualTo(SupervisorResult.Outcome.NOT_SUPERVISOR);
        assertThat(join(desk.watch("agt_b", "s1")).outcome()).isEqualTo(SupervisorResult.Outcome.NOT_SUPERVISOR);
        desk.connect(supervisor("agt_boss"), new Listener());
        assertThat(join(desk.takeOver("agt_boss", "nope")).outcome()).isEqualTo(SupervisorResult.Outcome.NOT_AVAILABLE);
        assertThat(join(desk.watch("agt_boss", "s1")).ok()).isTrue();
        assertThat(record("s1").agentId()).isEqualTo("agt_a"); // watching changes nothing
        assertThat(a.unassigned).isEmpty();
    }

    @Test
    void reassignMovesTheConversationToAPresentAgentEvenOverCapacity() {
        Listener a = new Listener();
        Listener b = new Listener();
        desk.connect(agent("agt_a", "support"), a);
        enqueue("s1", "support"); // agt_a
        desk.connect(agent("agt_b", "sales"), b);
        enqueue("s2", "sales");
        assertThat(join(desk.claim("agt_b", "s2"))).isPresent(); // agt_b is full now (capacity 1)
        desk.connect(supervisor("agt_boss"), new Listener());

        SupervisorResult result = join(desk.reassign("agt_boss", "s1", "agt_b"));

        assertThat(result.ok()).isTrue();
        assertThat(record("s1").agentId()).isEqualTo("agt_b");
        assertThat(a.unassigned).containsExactly("s1 REASSIGNED by agt_boss");
        assertThat(b.assigned).containsExactly("s2", "s1");
        assertThat(conversations.calls).contains("joined s1 agt_b");
        DeskOverview.AgentLoad loadB = join(desk.overview("agt_boss")).orElseThrow().agents().stream()
                .filter(x -> x.id().equals("agt_b")).findFirst().orElseThrow();
        assertThat(loadB.load()).isEqualTo(2);
        assertThat(loadB.capacity()).isEqualTo(1);
    }

    @Test
    void reassignRefusesAnAwayOrAbsentAgentAndChangesNothing() {
        Listener a = new Listener();
        desk.connect(agent("agt_a", "support"), a);
        Listener b = new Listener();
        desk.connect(agent("agt_b", "sales"), b);
        agent("agt_c", "support"); // no desk open
        desk.connect(supervisor("agt_boss"), new Listener());
        enqueue("s1", "support");
        desk.setPresence("agt_b", Presence.AWAY);

        assertThat(join(desk.reassign("agt_boss", "s1", "agt_b")).outcome())
                .isEqualTo(SupervisorResult.Outcome.AGENT_NOT_AVAILABLE);
        assertThat(join(desk.reassign("agt_boss", "s1", "agt_c")).outcome())
                .isEqualTo(SupervisorResult.Outcome.AGENT_NOT_AVAILABLE);
        assertThat(join(desk.reassign("agt_boss", "s1", "agt_nobody")).outcome())
                .isEqualTo(SupervisorResult.Outcome.AGENT_NOT_AVAILABLE);
        assertThat(record("s1").agentId()).isEqualTo("agt_a");
        assertThat(a.unassigned).isEmpty();
        assertThat(b.assigned).isEmpty();
    }

    @Test
    void aWaitingConversationCanBeReassigned() {
        Listener b = new Listener();
        desk.connect(agent("agt_b", "support"), b);
        desk.setPresence("agt_b", Presence.AVAILABLE);
        desk.connect(supervisor("agt_boss"), new Listener());
        agent("agt_s", "sales");
        enqueue("s1", "sales"); // manual queue agt_b does not serve

        assertThat(join(desk.reassign("agt_boss", "s1", "agt_b")).ok()).isTrue();
        assertThat(record("s1").agentId()).isEqualTo("agt_b");
        assertThat(b.assigned).containsExactly("s1");
    }

    @Test
    void everyUnassignmentSaysWhy() {
        Listener a = new Listener();
        desk.connect(agent("agt_a", "support", "billing"), a);
        enqueue("s1", "support");
        assertThat(join(desk.transfer("agt_a", "s1", "sales"))).isTrue();
        enqueue("s2", "support");
        assertThat(join(desk.finish("agt_a", "s2"))).isTrue();
        enqueue("s3", "support");
        desk.sessionEnded("s3");

        assertThat(a.unassigned).containsExactly("s1 TRANSFERRED", "s2 LEFT", "s3 ENDED");
    }

    @Test
    void supervisorsGetTheOverviewOnConnectAndChangesAtMostOnceASecond() {
        Listener boss = new Listener();
        desk.connect(supervisor("agt_boss"), boss);
        Listener a = new Listener();
        desk.connect(agent("agt_a", "sales"), a);
        assertThat(boss.overviews).isNotEmpty();
        int before = boss.overviews.size();

        clock.advance(Duration.ofSeconds(2));
        enqueue("s1", "sales"); // pushed at once: the last push is old enough
        assertThat(boss.overviews).hasSize(before + 1);
        assertThat(boss.lastOverview().queues().get(1).waiting()).hasSize(1);
        enqueue("s2", "sales"); // held back: less than a second since the last push
        assertThat(boss.overviews).hasSize(before + 1);
        assertThat(a.overviews).isEmpty(); // plain agents never get one

        clock.advance(Duration.ofSeconds(1));
        desk.tick();
        assertThat(boss.overviews).hasSize(before + 2);
        assertThat(boss.lastOverview().queues().get(1).waiting()).hasSize(2);
        assertThat(boss.lastOverview().queues().get(1).longestWaitSeconds()).isEqualTo(1);
        desk.tick(); // same second, nothing new
        assertThat(boss.overviews).hasSize(before + 2);
    }
}
