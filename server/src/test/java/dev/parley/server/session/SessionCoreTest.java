package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.client.Heartbeat;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserEndSession;
import dev.parley.protocol.client.UserMessage;
import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.ScriptedAgent;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session core without any socket: a real journal (SQLite), the scripted agent, virtual time.
 * Connections are recorders; timers fire when the test moves the clock and sweeps.
 */
class SessionCoreTest {
    private static final Duration IDLE = Duration.ofMinutes(2);
    private static final Duration INACTIVITY = Duration.ofMinutes(10);

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
        registry = registry(3);
        store.upsertConnector(new dev.parley.server.store.Connector("con_1", "hash", "example.com", time.now(), null));
    }

    private SessionRegistry registry(int maxConnections) {
        SessionSettings settings = new SessionSettings(30, IDLE, INACTIVITY, maxConnections, 16, () -> () -> true);
        ScriptedAgent agent = new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO);
        return new SessionRegistry(new SessionServices(journal, store, agent, time.clock(), executor, settings), store);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        journal.close();
        store.close();
    }

    private SessionActor actor(String sessionId) {
        return registry.find(sessionId).toCompletableFuture().join().orElseThrow();
    }

    private SessionActor newSession(boolean streaming) {
        return actor(registry.create("con_1", "web", streaming).toCompletableFuture().join().id());
    }

    /** The join exchange of §5.1, read off the connection. */
    private static void joinAndReadGreeting(SessionActor session, RecordingConnection c) {
        session.receive(c, new RequestAgentJoin(null, null));
        c.next("REQUEST_POLY_AGENT_JOIN");
        c.next("POLY_AGENT_JOINED");
        c.next("POLY_AGENT_THINKING");
        c.next("POLY_AGENT_MESSAGE");
    }

    private static RawJson meta(String clientEventId) {
        return RawJson.of("{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}");
    }

    @Test
    void joinAnswersWithEchoJoinedThinkingAndGreetingInSequence() {
        SessionActor session = newSession(false);
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        assertThat(c.replay()).extracting(e -> e.get("type").asText()).containsExactly("EVENT_TYPE_SESSION_START");

        session.receive(c, new RequestAgentJoin(null, null));

        assertThat(c.next("REQUEST_POLY_AGENT_JOIN").get("sequence").asLong()).isEqualTo(2);
        JsonNode joined = c.next("POLY_AGENT_JOINED");
        assertThat(joined.get("sequence").asLong()).isEqualTo(3);
        assertThat(joined.path("payload").path("agent_name").asText()).isEqualTo("Ada");
        assertThat(c.next("POLY_AGENT_THINKING").get("sequence").isNull()).isTrue();
        assertThat(c.next("POLY_AGENT_MESSAGE").get("sequence").asLong()).isEqualTo(4);
    }

    @Test
    void userMessageBeforeJoinIsRefusedAndNothingIsStored() {
        SessionActor session = newSession(false);
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();

        session.receive(c, new UserMessage("hello", meta("m1"), "m1"));

        JsonNode error = c.next("SYSTEM_MESSAGE");
        assertThat(error.path("payload").path("message").asText()).isEqualTo("Error: Conversation not found");
        assertThat(error.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("m1");
        assertThat(error.get("sequence").isNull()).isTrue();
        assertThat(store.headSequence(session.record().id())).isEqualTo(1);
    }

    @Test
    void resentClientEventIdGetsTheOriginalEchoAndIsStoredOnce() {
        SessionActor session = newSession(false);
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();
        joinAndReadGreeting(session, c);

        session.receive(c, new UserMessage("what are your hours?", meta("once"), "once"));
        JsonNode echo = c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        c.next("POLY_AGENT_MESSAGE");
        long head = store.headSequence(session.record().id());

        session.receive(c, new UserMessage("what are your hours?", meta("once"), "once"));
        JsonNode again = c.next("USER_MESSAGE");

        assertThat(again).isEqualTo(echo);
        session.receive(c, new Heartbeat(null, null));
        c.next("HEARTBEAT"); // nothing else came before the heartbeat echo: no second reply
        assertThat(store.headSequence(session.record().id())).isEqualTo(head);
    }

    @Test
    void endSessionEchoesThenEndsWithUserEndAndClosesNormally() {
        SessionActor session = newSession(false);
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();

        session.receive(c, new UserEndSession(null, null));

        c.next("USER_END_SESSION");
        assertThat(c.next("SESSION_END").path("payload").path("reason").asText()).isEqualTo("REASON_USER_END");
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.NORMAL);
        assertThat(store.findSession(session.record().id()).orElseThrow().ended()).isTrue();
    }

    @Test
    void silenceEndsTheSessionAsAbandonedOnlyAfterTheInactivityTimeout() {
        SessionActor session = newSession(false);
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();
        for (int minute = 1; minute <= 9; minute++) { // a heartbeating client keeps the session
            time.advance(Duration.ofMinutes(1));
            session.receive(c, new Heartbeat(null, null));
            c.next("HEARTBEAT");
            registry.sweep();
        }
        time.advance(INACTIVITY.minusSeconds(1)); // then silence: the socket goes idle first
        registry.sweep();
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(session.isEnded()).isFalse();

        time.advance(Duration.ofSeconds(1));
        registry.sweep();

        org.awaitility.Awaitility.await().until(session::isEnded);
        RecordingConnection back = new RecordingConnection();
        session.attach(back, 1);
        assertThat(back.replay()).extracting(e -> e.path("payload").path("reason").asText())
                .containsExactly("REASON_USER_ABANDONED");
        assertThat(back.awaitClose()).isEqualTo(CloseCodes.NORMAL);
    }

    @Test
    void inactivityEndTellsTheConnectionsStillOpen() {
        SessionRegistry sameTimeouts = new SessionRegistry(new SessionServices(journal, store,
                new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO), time.clock(), executor,
                new SessionSettings(30, INACTIVITY, INACTIVITY, 3, 16, () -> () -> true)), store);
        SessionActor session = sameTimeouts.find(sameTimeouts.create("con_1", "web", false).toCompletableFuture().join().id())
                .toCompletableFuture().join().orElseThrow();
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();

        time.advance(INACTIVITY);
        sameTimeouts.sweep();

        assertThat(c.next("SESSION_END").path("payload").path("reason").asText()).isEqualTo("REASON_USER_ABANDONED");
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.NORMAL);
    }

    @Test
    void aConnectionSilentPastTheIdleTimeoutIsClosedWhileTheSessionLivesOn() {
        SessionActor session = newSession(false);
        RecordingConnection quiet = new RecordingConnection();
        RecordingConnection chatty = new RecordingConnection();
        session.attach(quiet, 0);
        session.attach(chatty, 0);
        quiet.replay();
        chatty.replay();

        time.advance(IDLE.minusSeconds(1));
        session.receive(chatty, new Heartbeat(null, null));
        chatty.next("HEARTBEAT");
        time.advance(Duration.ofSeconds(2));
        registry.sweep();

        assertThat(quiet.awaitClose()).isEqualTo(CloseCodes.GOING_AWAY);
        session.receive(chatty, new Heartbeat(null, null));
        chatty.next("HEARTBEAT");
        assertThat(chatty.closed).isNotDone();
        assertThat(session.isEnded()).isFalse();
    }

    @Test
    void aSessionNobodyEverConnectedToEndsAsAbandoned() {
        String id = registry.create("con_1", "web", false).toCompletableFuture().join().id();

        time.advance(INACTIVITY.plusSeconds(1));
        registry.sweep();

        org.awaitility.Awaitility.await().until(() -> store.findSession(id).orElseThrow().ended());
        assertThat(store.findSession(id).orElseThrow().endReason()).hasToString("REASON_USER_ABANDONED");
    }

    @Test
    void attachWithACursorReplaysExactlyTheLaterEvents() {
        SessionActor session = newSession(false);
        RecordingConnection first = new RecordingConnection();
        session.attach(first, 0);
        first.replay();
        joinAndReadGreeting(session, first);

        RecordingConnection second = new RecordingConnection();
        session.attach(second, 2);

        assertThat(second.replay()).extracting(e -> e.get("sequence").asLong()).containsExactly(3L, 4L);
    }

    @Test
    void aRestartedActorIsRebuiltFromTheJournal() {
        SessionActor session = newSession(false);
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();
        joinAndReadGreeting(session, c);

        SessionRegistry fresh = registry(3); // as after a restart: nothing in memory
        SessionActor rebuilt = fresh.find(session.record().id()).toCompletableFuture().join().orElseThrow();
        RecordingConnection after = new RecordingConnection();
        rebuilt.attach(after, 4);
        assertThat(after.replay()).isEmpty();
        rebuilt.receive(after, new UserMessage("hours?", null, null)); // already joined: no join needed

        assertThat(after.next("USER_MESSAGE").get("sequence").asLong()).isEqualTo(5);
        after.next("POLY_AGENT_THINKING");
        after.next("POLY_AGENT_MESSAGE");
    }

    @Test
    void connectionSlotsAreLimitedAndFreedOnDetach() {
        SessionActor session = newSession(false);
        assertThat(session.tryReserveConnection()).isTrue();
        assertThat(session.tryReserveConnection()).isTrue();
        assertThat(session.tryReserveConnection()).isTrue();
        assertThat(session.tryReserveConnection()).isFalse();

        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        session.detach(c);

        org.awaitility.Awaitility.await().until(session::tryReserveConnection);
    }

    /** A streaming session answered by {@code agent}, joined, its two-chunk greeting read off {@code c}. */
    private SessionActor joinedStreamingSession(dev.parley.server.agent.Agent agent, RecordingConnection c) {
        SessionRegistry registry = new SessionRegistry(new SessionServices(journal, store, agent, time.clock(), executor,
                new SessionSettings(30, IDLE, INACTIVITY, 3, 16, () -> () -> true)), store);
        SessionActor session = registry.find(registry.create("con_1", "web", true).toCompletableFuture().join().id())
                .toCompletableFuture().join().orElseThrow();
        session.attach(c, 0);
        c.replay();
        session.receive(c, new RequestAgentJoin(null, null));
        c.next("REQUEST_POLY_AGENT_JOIN");
        c.next("POLY_AGENT_JOINED");
        c.next("POLY_AGENT_THINKING");
        c.next("POLY_AGENT_MESSAGE_CHUNK");
        c.next("POLY_AGENT_MESSAGE_CHUNK");
        return session;
    }

    @Test
    void aUserMessageDuringAStreamedReplyWaitsForItAndRepliesNeverInterleave() throws Exception {
        HandDrivenAgent hand = new HandDrivenAgent();
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedStreamingSession(hand, c);

        session.receive(c, new UserMessage("first", null, null));
        c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        var firstSink = hand.sinks.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        firstSink.text("one ");
        assertThat(c.next("POLY_AGENT_MESSAGE_CHUNK").path("payload").path("text").asText()).isEqualTo("one ");

        session.receive(c, new UserMessage("second", null, null));
        assertThat(c.next("USER_MESSAGE").path("payload").path("text").asText()).isEqualTo("second");
        firstSink.text("two");
        assertThat(c.next("POLY_AGENT_MESSAGE_CHUNK").path("payload").path("text").asText()).isEqualTo("two");
        assertThat(hand.asked).containsExactly("first"); // the second waits for the first turn to end

        firstSink.complete(java.util.List.of(), java.util.List.of());
        hand.turns.poll(10, java.util.concurrent.TimeUnit.SECONDS).complete(null);

        JsonNode last = c.next("POLY_AGENT_MESSAGE_CHUNK");
        assertThat(last.path("payload").path("is_complete").asBoolean()).isTrue();
        c.next("POLY_AGENT_THINKING"); // only now does the second turn start
        org.awaitility.Awaitility.await().until(() -> hand.asked.size() == 2);
        assertThat(hand.asked).containsExactly("first", "second");
    }

    @Test
    void anInterruptibleAgentsReplyIsClosedAndCancelledWhenTheUserWritesAgain() throws Exception {
        HandDrivenAgent hand = new HandDrivenAgent();
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedStreamingSession(new dev.parley.server.agent.InterruptibleAgent(hand), c);
        session.receive(c, new UserMessage("first", null, null));
        c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        var firstSink = hand.sinks.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        var firstTurn = hand.turns.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        firstSink.text("one ");
        String interrupted = c.next("POLY_AGENT_MESSAGE_CHUNK").path("payload").path("message_id").asText();

        session.receive(c, new UserMessage("second", null, null));

        c.next("USER_MESSAGE");
        JsonNode closing = c.next("POLY_AGENT_MESSAGE_CHUNK");
        assertThat(closing.path("payload").path("message_id").asText()).isEqualTo(interrupted);
        assertThat(closing.path("payload").path("is_complete").asBoolean()).isTrue();
        c.next("POLY_AGENT_THINKING");
        org.awaitility.Awaitility.await().until(() -> hand.asked.size() == 2);
        assertThat(firstTurn).isCancelled();

        firstSink.text("late words of the cancelled turn");
        var secondSink = hand.sinks.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        secondSink.text("answer to second");
        assertThat(c.next("POLY_AGENT_MESSAGE_CHUNK").path("payload").path("text").asText()).isEqualTo("answer to second");
    }
}
