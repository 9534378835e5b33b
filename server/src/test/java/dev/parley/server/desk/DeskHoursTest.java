package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.NodeStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk's decisions about business hours, on an injected clock and a real SQLite store. */
class DeskHoursTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final BusinessHours OFFICE = new BusinessHours(LONDON,
            BusinessHours.weekly(Map.of("mon-fri", List.of("09:00-17:30"))),
            Set.of(LocalDate.parse("2026-03-09")), "Leave us a message.");
    private static final List<QueueSettings> QUEUES = List.of(
            QueueSettings.auto("support", Duration.ofMinutes(5)).withHours(OFFICE),
            QueueSettings.auto("sales", Duration.ofMinutes(5))); // no hours: always open

    @TempDir
    Path dir;
    private NodeStore store;
    /** Friday 6 March 2026, 18:00 in London (GMT): after hours, and Monday 9 is a holiday. */
    private final MutableClock clock = MutableClock.at("2026-03-06T18:00:00Z");
    private final DeskTest.Recording conversations = new DeskTest.Recording();
    private Desk desk;

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
        DeskAgent agent = new DeskAgent(id, DeskFixtures.CONNECTOR, "Agent " + id, null, List.of(queues), 3);
        store.createAgent(agent, "unused-hash");
        return agent;
    }

    private EnqueueResult enqueue(String sessionId, String queue) {
        DeskFixtures.session(store, sessionId);
        return desk.enqueue(sessionId, DeskFixtures.CONNECTOR, queue).toCompletableFuture().join();
    }

    @Test
    void outsideHoursTheHandoffNeverWaitsAndSaysWhenTheTeamIsBack() {
        DeskTest.Listener listener = new DeskTest.Listener();
        desk.connect(agent("agt_a", "support"), listener); // even with an agent online

        EnqueueResult result = enqueue("s1", "support");

        assertThat(result).isInstanceOf(EnqueueResult.OutOfHours.class);
        EnqueueResult.OutOfHours closed = (EnqueueResult.OutOfHours) result;
        assertThat(closed.backAt()).isEqualTo(ZonedDateTime.of(2026, 3, 10, 9, 0, 0, 0, LONDON)); // Tuesday
        assertThat(closed.closedMessage()).isEqualTo("Leave us a message.");
        assertThat(store.openHandoffs()).isEmpty();
        assertThat(conversations.calls).isEmpty();
        assertThat(desk.snapshot("agt_a").toCompletableFuture().join().queues().get(0).waiting()).isEmpty();
        assertThat(desk.offlineConversations("agt_a").toCompletableFuture().join())
                .extracting(OfflineConversation::sessionId, OfflineConversation::queue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s1", "support"));
    }

    @Test
    void insideHoursTheHandoffQueuesAsBefore() {
        clock.advance(Duration.ofDays(4).minusHours(8)); // Tuesday 10 March, 10:00
        agent("agt_a", "support");

        EnqueueResult result = enqueue("s1", "support");

        assertThat(result).isInstanceOf(EnqueueResult.Queued.class);
        assertThat(store.openHandoffs()).extracting(HandoffRecord::sessionId).containsExactly("s1");
        assertThat(store.openOfflineConversations()).isEmpty();
    }

    @Test
    void aQueueWithoutHoursIsAlwaysOpen() {
        agent("agt_a", "sales");

        assertThat(enqueue("s1", "sales")).isInstanceOf(EnqueueResult.Queued.class);
    }

    @Test
    void onlyAnAgentOfTheQueueSeesAndHandlesTheOfflineConversation() {
        agent("agt_support", "support");
        agent("agt_sales", "sales");
        enqueue("s1", "support");

        assertThat(desk.offlineConversations("agt_sales").toCompletableFuture().join()).isEmpty();
        assertThat(desk.markOfflineHandled("agt_sales", "s1").toCompletableFuture().join()).isFalse();

        assertThat(desk.markOfflineHandled("agt_support", "s1").toCompletableFuture().join()).isTrue();
        assertThat(desk.offlineConversations("agt_support").toCompletableFuture().join()).isEmpty();
        assertThat(desk.markOfflineHandled("agt_support", "s1").toCompletableFuture().join()).isFalse(); // once
    }

    @Test
    void theOfflineListSurvivesARestart() {
        agent("agt_a", "support");
        enqueue("s1", "support");

        Desk restarted = new Desk(QUEUES, store, conversations, clock, Runnable::run, Duration.ofSeconds(60),
                Duration.ofSeconds(15));
        restarted.recover().toCompletableFuture().join();

        assertThat(restarted.offlineConversations("agt_a").toCompletableFuture().join())
                .extracting(OfflineConversation::sessionId).containsExactly("s1");
    }

    @Test
    void aTransferToAQueueOutsideItsHoursIsRefused() {
        clock.advance(Duration.ofDays(4).minusHours(8)); // Tuesday 10:00: support is open
        DeskAgent a = agent("agt_a", "support", "sales");
        desk.connect(a, new DeskTest.Listener());
        enqueue("s1", "sales");
        desk.accepted("s1");
        clock.advance(Duration.ofHours(8)); // 18:00: support is closed

        assertThat(desk.transfer("agt_a", "s1", "support").toCompletableFuture().join()).isFalse();
    }
}
