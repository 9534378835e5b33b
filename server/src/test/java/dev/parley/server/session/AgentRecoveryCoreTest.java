package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.client.Heartbeat;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserMessage;
import dev.parley.protocol.codec.Json;
import dev.parley.server.agent.Agent;
import dev.parley.server.agent.ReplySink;
import dev.parley.server.store.Connector;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.time.ManualScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AI agent answers each user message exactly once, also when the node stopped or died between
 * the echo and the reply: a fresh actor on the same store (as after a restart) sees from the journal
 * what was left unanswered, closes a half-written stream and asks the agent again, once; a turn that
 * completed is recognised and never asked again. Without sockets; "a node" is a registry.
 */
class AgentRecoveryCoreTest {
    private static final String HOURS = "what are your hours?";

    @TempDir
    Path dir;
    private SqliteStore store;
    private GroupCommitWriter journal;
    private ExecutorService executor;
    private final ManualScheduler time = new ManualScheduler();

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir);
        journal = new GroupCommitWriter(store, 1000);
        executor = Executors.newFixedThreadPool(2);
        store.upsertConnector(new Connector("con_1", "hash", "example.com", time.now(), null));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        journal.close();
        store.close();
    }

    /** A node: nothing in memory but what it rebuilds from the shared store. */
    private SessionRegistry node(Agent agent) {
        return new SessionRegistry(new SessionServices(journal, store, agent, time.clock(), executor,
                new SessionSettings(30, Duration.ofMinutes(2), Duration.ofMinutes(10), 3, 16, () -> () -> true)), store);
    }

    private static SessionActor actor(SessionRegistry node, String sessionId) {
        return node.find(sessionId).toCompletableFuture().join().orElseThrow();
    }

    /** A joined session on {@code node}, its greeting read off {@code c}. */
    private static SessionActor joinedSession(SessionRegistry node, RecordingConnection c, boolean streaming) {
        SessionActor session = actor(node, node.create("con_1", "web", streaming).toCompletableFuture().join().id());
        session.attach(c, 0);
        c.replay();
        session.receive(c, new RequestAgentJoin(null, null));
        c.next("REQUEST_POLY_AGENT_JOIN");
        c.next("POLY_AGENT_JOINED");
        c.next("POLY_AGENT_THINKING");
        if (streaming) {
            c.next("POLY_AGENT_MESSAGE_CHUNK");
            c.next("POLY_AGENT_MESSAGE_CHUNK");
        } else {
            c.next("POLY_AGENT_MESSAGE");
        }
        return session;
    }

    private static UserMessage message(String text, String clientEventId) {
        return new UserMessage(text, RawJson.of("{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}"),
                clientEventId);
    }

    /** Says {@code text} and reads its echo and the agent's thinking; returns the echo. */
    private static JsonNode say(SessionActor session, RecordingConnection c, String text, String clientEventId) {
        session.receive(c, message(text, clientEventId));
        JsonNode echo = c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        return echo;
    }

    /** Proves the actor sent nothing more: a heartbeat's echo is the next frame. */
    private static void assertNothingMore(SessionActor session, RecordingConnection c) {
        session.receive(c, new Heartbeat(null, null));
        c.next("HEARTBEAT");
        assertThat(c.nothingQueued()).isTrue();
    }

    private List<JsonNode> journalOf(String sessionId) {
        return store.readAfter(sessionId, 0, 1000).stream().map(StoredEvent::json).map(json -> {
            try {
                return Json.MAPPER.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static long countOf(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals("EVENT_TYPE_" + type)).count();
    }

    @Test
    void aMessageWhoseReplyWasCutOffByTheStopIsAnsweredOnceByTheNextNode() throws Exception {
        HandDrivenAgent firstAgent = new HandDrivenAgent();
        SessionRegistry first = node(firstAgent);
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedSession(first, c, false);
        JsonNode echo = say(session, c, HOURS, "m1");
        ReplySink cutOff = firstAgent.nextSink();

        first.closeAllForRestart();
        first.endRestartGrace(); // the agent did not answer within the grace
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
        cutOff.message("too late", List.of(), List.of()); // dropped: that node is gone

        HandDrivenAgent secondAgent = new HandDrivenAgent();
        SessionActor rebuilt = actor(node(secondAgent), session.record().id());
        RecordingConnection back = new RecordingConnection();
        rebuilt.attach(back, echo.get("sequence").asLong());
        assertThat(back.replay()).isEmpty();
        secondAgent.answerNext("We are open from noon.");

        assertThat(back.next("POLY_AGENT_MESSAGE").path("payload").path("text").asText())
                .isEqualTo("We are open from noon.");
        rebuilt.receive(back, message(HOURS, "m1")); // the client's resend after its reconnect
        assertThat(back.next("USER_MESSAGE")).isEqualTo(echo);
        assertNothingMore(rebuilt, back);
        assertThat(secondAgent.asked).containsExactly(HOURS);
        assertThat(countOf(journalOf(session.record().id()), "POLY_AGENT_MESSAGE")).as("greeting and one answer")
                .isEqualTo(2);
    }

    @Test
    void aMessageEchoedJustBeforeACrashIsAnsweredOnceAfterTheRestart() throws Exception {
        HandDrivenAgent firstAgent = new HandDrivenAgent();
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedSession(node(firstAgent), c, false);
        JsonNode echo = say(session, c, HOURS, "m1");
        firstAgent.nextSink(); // SIGKILL: the first node never answers, nor stops

        HandDrivenAgent secondAgent = new HandDrivenAgent();
        SessionRegistry second = node(secondAgent);
        SessionActor rebuilt = actor(second, session.record().id());
        secondAgent.answerNext("We are open from noon.");
        RecordingConnection back = new RecordingConnection();
        rebuilt.attach(back, echo.get("sequence").asLong());

        assertThat(back.replay()).extracting(e -> e.path("payload").path("text").asText())
                .containsExactly("We are open from noon.");
        assertThat(actor(second, session.record().id())).isSameAs(rebuilt);
        assertNothingMore(rebuilt, back);
        assertThat(secondAgent.asked).containsExactly(HOURS);
    }

    @Test
    void completedTurnsAreNotAskedAgainAfterARestartOnlyTheUnansweredMessageIs() throws Exception {
        HandDrivenAgent firstAgent = new HandDrivenAgent();
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedSession(node(firstAgent), c, false);
        say(session, c, "first", "m1");
        firstAgent.answerNext("answer to first");
        c.next("POLY_AGENT_MESSAGE");
        say(session, c, "second", "m2");
        ReplySink failing = firstAgent.nextSink(); // a turn that ends with the agent's error is answered too
        failing.fail(ErrorMessages.AGENT_REPLY_FAILED, new IllegalStateException("model down"));
        firstAgent.turns.poll(10, TimeUnit.SECONDS).complete(null);
        c.next("SYSTEM_MESSAGE");
        long third = say(session, c, "third", "m3").get("sequence").asLong();
        firstAgent.nextSink(); // the node dies here

        HandDrivenAgent secondAgent = new HandDrivenAgent();
        SessionActor rebuilt = actor(node(secondAgent), session.record().id());
        secondAgent.answerNext("answer to third");
        RecordingConnection back = new RecordingConnection();
        rebuilt.attach(back, third);

        assertThat(back.replay()).extracting(e -> e.path("payload").path("text").asText())
                .containsExactly("answer to third");
        assertNothingMore(rebuilt, back);
        assertThat(secondAgent.asked).containsExactly("third");
    }

    /** Issue 11: the journal holds m1, m2, r1 when the owner dies; r1 answered m1's turn, not m2's. */
    @Test
    void aMessageThatWaitedBehindARunningTurnIsAnsweredOnceWhenTheOwnerDiesAfterTheFirstReply() throws Exception {
        HandDrivenAgent firstAgent = new HandDrivenAgent();
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedSession(node(firstAgent), c, false);
        say(session, c, "first", "m1");
        ReplySink firstTurn = firstAgent.nextSink();
        session.receive(c, message("second", "m2")); // waits for the running turn: echoed, not asked yet
        c.next("USER_MESSAGE");
        firstTurn.message("answer to first", List.of(), List.of());
        firstAgent.turns.poll(10, TimeUnit.SECONDS).complete(null);
        c.next("POLY_AGENT_MESSAGE");
        c.next("POLY_AGENT_THINKING"); // the turn for m2 starts...
        firstAgent.nextSink(); // ...and the node dies before its reply is stored
        assertThat(firstAgent.asked).containsExactly("first", "second");
        String id = session.record().id();
        long head = store.headSequence(id);

        HandDrivenAgent secondAgent = new HandDrivenAgent();
        SessionActor rebuilt = actor(node(secondAgent), id);
        secondAgent.answerNext("answer to second");
        RecordingConnection back = new RecordingConnection();
        rebuilt.attach(back, head);

        assertThat(back.replay()).extracting(e -> e.path("payload").path("text").asText())
                .containsExactly("answer to second");
        assertNothingMore(rebuilt, back);
        assertThat(secondAgent.asked).containsExactly("second");
        assertThat(journalOf(id)).filteredOn(e -> e.path("type").asText().equals("EVENT_TYPE_POLY_AGENT_MESSAGE"))
                .extracting(e -> e.path("payload").path("text").asText())
                .containsExactly("hello", "answer to first", "answer to second");
        assertThat(journalOf(id)).as("answers_seq stays in the journal, off the wire")
                .allSatisfy(e -> assertThat(e.has("answers_seq")).isFalse());
        assertThat(store.readAfter(id, 0, 1000)).filteredOn(e -> e.type() == dev.parley.protocol.EventType.POLY_AGENT_MESSAGE)
                .extracting(StoredEvent::answersSeq).doesNotContainNull();
    }

    @Test
    void aSessionWhoseTurnsAllCompletedIsNotAskedAnythingAfterARestart() throws Exception {
        HandDrivenAgent firstAgent = new HandDrivenAgent();
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedSession(node(firstAgent), c, true);
        say(session, c, HOURS, "m1");
        ReplySink sink = firstAgent.nextSink();
        sink.text("noon ");
        sink.text("to ten");
        sink.complete(List.of(), List.of());
        firstAgent.turns.poll(10, TimeUnit.SECONDS).complete(null);
        c.next("POLY_AGENT_MESSAGE_CHUNK");
        c.next("POLY_AGENT_MESSAGE_CHUNK");
        assertThat(c.next("POLY_AGENT_MESSAGE_CHUNK").path("payload").path("is_complete").asBoolean()).isTrue();
        long head = store.headSequence(session.record().id());

        HandDrivenAgent secondAgent = new HandDrivenAgent();
        SessionActor rebuilt = actor(node(secondAgent), session.record().id());
        RecordingConnection back = new RecordingConnection();
        rebuilt.attach(back, head);

        assertThat(back.replay()).isEmpty();
        assertNothingMore(rebuilt, back);
        assertThat(secondAgent.asked).isEmpty();
        assertThat(store.headSequence(session.record().id())).isEqualTo(head);
    }

    @Test
    void aStreamCutOffHalfWayIsClosedWithAFinalChunkThenTheMessageIsAnswered() throws Exception {
        HandDrivenAgent firstAgent = new HandDrivenAgent();
        RecordingConnection c = new RecordingConnection();
        SessionActor session = joinedSession(node(firstAgent), c, true);
        say(session, c, HOURS, "m1");
        firstAgent.nextSink().text("We open at ");
        JsonNode half = c.next("POLY_AGENT_MESSAGE_CHUNK"); // then the node dies mid-stream
        String halfId = half.path("payload").path("message_id").asText();

        HandDrivenAgent secondAgent = new HandDrivenAgent();
        SessionActor rebuilt = actor(node(secondAgent), session.record().id());
        RecordingConnection back = new RecordingConnection();
        rebuilt.attach(back, half.get("sequence").asLong());
        List<JsonNode> replay = back.replay();
        ReplySink answer = secondAgent.nextSink();
        answer.text("noon.");
        answer.complete(List.of(), List.of());
        secondAgent.turns.poll(10, TimeUnit.SECONDS).complete(null);

        assertThat(replay).hasSize(1);
        JsonNode closing = replay.get(0).path("payload");
        assertThat(closing.path("message_id").asText()).isEqualTo(halfId);
        assertThat(closing.path("is_complete").asBoolean()).isTrue();
        assertThat(closing.path("text").asText()).isEmpty();
        assertThat(closing.path("chunk_index").asInt()).isEqualTo(half.path("payload").path("chunk_index").asInt() + 1);
        JsonNode first = back.next("POLY_AGENT_MESSAGE_CHUNK");
        assertThat(first.path("payload").path("text").asText()).isEqualTo("noon.");
        assertThat(first.path("payload").path("message_id").asText()).isNotEqualTo(halfId);
        assertThat(back.next("POLY_AGENT_MESSAGE_CHUNK").path("payload").path("is_complete").asBoolean()).isTrue();
        assertNothingMore(rebuilt, back);
        assertThat(secondAgent.asked).containsExactly(HOURS);
    }
}
