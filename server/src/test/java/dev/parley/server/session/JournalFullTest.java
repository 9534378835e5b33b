package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserMessage;
import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.ReplySink;
import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.ScriptedAgent;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ControllableStore;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.TestJournal;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 10, in the session core without sockets: a journal queue that is full is load,
 * not a failure. The client gets the documented "high load" error (§11.2) and keeps its socket;
 * nothing of the refused event is stored or half-applied, so its resend is processed normally;
 * agent output that meets a full queue waits for room. Only a real storage failure closes with 1011.
 * The store is held through its port (a slow disk), the journal queue holds two appends.
 */
class JournalFullTest {
    private static final int QUEUE_CAPACITY = 2;

    @TempDir
    Path dir;
    private SqliteStore store;
    private ControllableStore port;
    private GroupCommitWriter journal;
    private ExecutorService executor;
    private ManualScheduler time;
    private final RecordingConnection c = new RecordingConnection();
    private final List<CompletableFuture<Void>> fillers = new ArrayList<>();

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir);
        port = new ControllableStore(store);
        journal = new GroupCommitWriter(port, QUEUE_CAPACITY);
        executor = Executors.newFixedThreadPool(2);
        time = new ManualScheduler();
        store.upsertConnector(new Connector("con_1", "hash", "example.com", time.now(), null));
    }

    @AfterEach
    void stop() {
        port.release();
        executor.shutdownNow();
        journal.close();
        store.close();
    }

    private SessionRegistry registry(Agent agent) {
        SessionSettings settings = new SessionSettings(30, Duration.ofMinutes(2), Duration.ofMinutes(10), 3, 16,
                () -> () -> true);
        return new SessionRegistry(new SessionServices(journal, store, agent, time.clock(), executor, settings), store);
    }

    /** A joined session with {@code c} attached and the greeting read. */
    private SessionActor joinedSession(SessionRegistry registry) {
        SessionActor session = registry.find(registry.create("con_1", "web", false).toCompletableFuture().join().id())
                .toCompletableFuture().join().orElseThrow();
        session.attach(c, 0);
        c.replay();
        session.receive(c, new RequestAgentJoin(null, null));
        c.next("REQUEST_POLY_AGENT_JOIN");
        c.next("POLY_AGENT_JOINED");
        c.next("POLY_AGENT_THINKING");
        c.next("POLY_AGENT_MESSAGE");
        return session;
    }

    /**
     * Another session's appends fill the queue: the first one is held inside the store, the next
     * {@value #QUEUE_CAPACITY} wait behind it.
     */
    private void fillTheJournalQueue(SessionRegistry registry) throws InterruptedException {
        String other = registry.create("con_1", "web", false).toCompletableFuture().join().id();
        port.hold();
        fillers.add(journal.append(List.of(TestJournal.message(other, 2))));
        port.awaitHeldAppend();
        for (int i = 0; i < QUEUE_CAPACITY; i++) {
            fillers.add(journal.append(List.of(TestJournal.message(other, 3 + i))));
        }
        assertThat(journal.hasRoom()).as("journal queue full").isFalse();
    }

    private void drainTheJournalQueue() {
        port.release();
        fillers.forEach(f -> f.orTimeout(10, TimeUnit.SECONDS).join());
    }

    private static UserMessage message(String text, String clientEventId) {
        RawJson meta = RawJson.of("{\"custom\":{\"client_event_id\":\"" + clientEventId + "\",\"screen\":\"faq\"}}");
        return new UserMessage(text, meta, clientEventId);
    }

    private List<Long> journalSequences(SessionActor session) {
        return store.readAfter(session.record().id(), 0, 1000).stream().map(StoredEvent::sequence).toList();
    }

    private static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    @Test
    void aFullJournalQueueAnswersHighLoadWithTheClientsMetadataAndTheResendIsProcessedNormally() throws Exception {
        SessionRegistry registry = registry(new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO));
        SessionActor session = joinedSession(registry);
        long head = store.headSequence(session.record().id());
        fillTheJournalQueue(registry);

        session.receive(c, message("what are your hours?", "m1"));

        JsonNode error = c.next("SYSTEM_MESSAGE");
        assertThat(error.path("payload").path("message").asText()).isEqualTo(ErrorMessages.HIGH_LOAD);
        assertThat(error.path("payload").path("level").asText()).isEqualTo("SYSTEM_MESSAGE_LEVEL_ERROR");
        assertThat(error.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("m1");
        assertThat(error.path("metadata").path("custom").path("screen").asText()).isEqualTo("faq");
        assertThat(error.get("sequence").isNull()).as("not journaled").isTrue();
        assertThat(c.closed).as("socket stays open").isNotDone();
        assertThat(session.isBroken()).isFalse();

        drainTheJournalQueue();
        session.receive(c, message("what are your hours?", "m1"));

        JsonNode echo = c.next("USER_MESSAGE");
        assertThat(echo.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("m1");
        assertThat(echo.get("sequence").asLong()).as("the next sequence, no gap").isEqualTo(head + 1);
        c.next("POLY_AGENT_THINKING");
        assertThat(c.next("POLY_AGENT_MESSAGE").get("sequence").asLong()).isEqualTo(head + 2);
        assertThat(journalSequences(session)).containsExactlyElementsOf(oneTo(head + 2));
        assertThat(c.closed).isNotDone();
    }

    @Test
    void agentOutputThatMeetsAFullQueueWaitsForRoomAndKeepsItsPlaceInTheSequence() throws Exception {
        HeldAgent agent = new HeldAgent();
        SessionRegistry registry = registry(agent);
        SessionActor session = joinedSession(registry);
        session.receive(c, message("first", "m1"));
        long echo = c.next("USER_MESSAGE").get("sequence").asLong();
        c.next("POLY_AGENT_THINKING");
        ReplySink sink = agent.sinks.poll(10, TimeUnit.SECONDS);
        fillTheJournalQueue(registry);

        sink.message("the answer", List.of(), List.of());

        await().atMost(Duration.ofSeconds(10)).until(() -> journal.parkedAppends() == 1);
        assertThat(c.nothingQueued()).as("nothing delivered before it is durable").isTrue();
        drainTheJournalQueue();
        JsonNode reply = c.next("POLY_AGENT_MESSAGE");
        assertThat(reply.path("payload").path("text").asText()).isEqualTo("the answer");
        assertThat(reply.get("sequence").asLong()).isEqualTo(echo + 1);
        assertThat(c.closed).as("socket stays open").isNotDone();

        session.receive(c, message("second", "m2"));
        assertThat(c.next("USER_MESSAGE").get("sequence").asLong()).isEqualTo(echo + 2);
        assertThat(journalSequences(session)).containsExactlyElementsOf(oneTo(echo + 2));
    }

    @Test
    void aRealStorageFailureStillClosesTheSessionsSocketsWith1011() {
        SessionRegistry registry = registry(new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO));
        SessionActor session = joinedSession(registry);
        port.breakAppends(true);

        session.receive(c, message("what are your hours?", "m1"));

        assertThat(c.awaitClose()).isEqualTo(CloseCodes.INTERNAL_ERROR);
        assertThat(session.isBroken()).isTrue();
    }

    /** Greets at once; each reply's sink is handed to the test, and the turn stays open. */
    private static final class HeldAgent implements Agent {
        final BlockingQueue<ReplySink> sinks = new LinkedBlockingQueue<>();

        @Override
        public AgentProfile profile() {
            return new AgentProfile("Held", "https://example.com/h.png");
        }

        @Override
        public CompletionStage<Void> greet(Conversation conversation, ReplySink sink) {
            sink.message("hello", List.of(), List.of());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> reply(Conversation conversation, String text, ReplySink sink) {
            sinks.add(sink);
            return new CompletableFuture<>();
        }
    }
}
