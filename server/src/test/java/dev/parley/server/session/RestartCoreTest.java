package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.client.Heartbeat;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserMessage;
import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.ScriptedAgent;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ControllableStore;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 9, in the session core: a graceful stop closes a session's sockets with 1012 only
 * after the work it already accepted is journaled and echoed, and stops everything after that.
 */
class RestartCoreTest {
    @TempDir
    Path dir;
    private SqliteStore store;
    private ControllableStore port;
    private GroupCommitWriter journal;
    private ExecutorService executor;
    private SessionRegistry registry;
    private ManualScheduler time;
    private SessionSettings settings;
    private final RecordingConnection c = new RecordingConnection();

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir);
        port = new ControllableStore(store);
        journal = new GroupCommitWriter(port, 100);
        executor = Executors.newFixedThreadPool(2);
        time = new ManualScheduler();
        store.upsertConnector(new Connector("con_1", "hash", "example.com", time.now(), null));
        settings = new SessionSettings(30, Duration.ofMinutes(2), Duration.ofMinutes(10), 3, 16,
                () -> () -> true);
        registry = new SessionRegistry(new SessionServices(journal, store,
                new ScriptedAgent(FlowLoader.demo(), time, Duration.ZERO), time.clock(), executor, settings), store);
    }

    @AfterEach
    void stop() {
        port.release();
        executor.shutdownNow();
        journal.close();
        store.close();
    }

    private SessionActor joinedSession() {
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

    private static UserMessage message(String clientEventId) {
        return new UserMessage("what are your hours?",
                RawJson.of("{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}"), clientEventId);
    }

    @Test
    void theStopWaitsForTheEchoOfAnAcceptedMessageThenClosesWithServiceRestart() throws Exception {
        SessionActor session = joinedSession();
        port.hold();
        session.receive(c, message("m1"));
        port.awaitHeldAppend();

        CompletableFuture<Void> stopped = registry.closeAllForRestart().toCompletableFuture();

        assertThat(stopped).as("waits for the journal").isNotDone();
        assertThat(c.closed).isNotDone();
        port.release();
        c.next("USER_MESSAGE"); // the echo goes out first...
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART); // ...then the close
        assertThat(stopped).succeedsWithin(Duration.ofSeconds(10));
        assertThat(store.findByClientEventId(session.record().id(), "m1")).isPresent();
    }

    @Test
    void aSessionStuckOnTheJournalIsClosedWithServiceRestartWhenTheStopGivesUpWaiting() throws Exception {
        SessionActor session = joinedSession();
        port.hold();
        session.receive(c, message("m1"));
        port.awaitHeldAppend();
        CompletableFuture<Void> stopped = registry.closeAllForRestart().toCompletableFuture();

        registry.closeNowForRestart();

        assertThat(c.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(stopped).isNotDone();
    }

    /** A streaming session whose scripted replies come one delta per second of virtual time. */
    private SessionActor joinedStreamingSession() {
        SessionRegistry streaming = new SessionRegistry(new SessionServices(journal, store,
                new ScriptedAgent(FlowLoader.demo(), time, Duration.ofSeconds(1)), time.clock(), executor, settings), store);
        registry = streaming;
        SessionActor session = streaming.find(streaming.create("con_1", "web", true).toCompletableFuture().join().id())
                .toCompletableFuture().join().orElseThrow();
        session.attach(c, 0);
        c.replay();
        session.receive(c, new RequestAgentJoin(null, null));
        c.next("REQUEST_POLY_AGENT_JOIN");
        c.next("POLY_AGENT_JOINED");
        c.next("POLY_AGENT_THINKING");
        JsonNode chunk = c.next("POLY_AGENT_MESSAGE_CHUNK");
        while (!chunk.path("payload").path("is_complete").asBoolean()) {
            time.advance(Duration.ofSeconds(1));
            chunk = c.next("POLY_AGENT_MESSAGE_CHUNK");
        }
        return session;
    }

    @Test
    void theStopLetsARunningScriptedReplyFinishAndDeliversItBeforeServiceRestart() {
        SessionActor session = joinedStreamingSession();
        session.receive(c, message("m1"));
        c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        String messageId = c.next("POLY_AGENT_MESSAGE_CHUNK").path("payload").path("message_id").asText();

        CompletableFuture<Void> stopped = registry.closeAllForRestart().toCompletableFuture();
        session.receive(c, new Heartbeat(null, null));
        c.next("HEARTBEAT"); // the stop task ran: the session drains instead of closing

        assertThat(c.closed).as("closed while the agent still writes").isNotDone();
        JsonNode chunk;
        do {
            time.advance(Duration.ofSeconds(1));
            chunk = c.next("POLY_AGENT_MESSAGE_CHUNK");
            assertThat(chunk.path("payload").path("message_id").asText()).isEqualTo(messageId);
        } while (!chunk.path("payload").path("is_complete").asBoolean());
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(stopped).succeedsWithin(Duration.ofSeconds(10));
        assertThat(c.nothingQueued()).isTrue();
        assertThat(store.readAfter(session.record().id(), 0, 1000)).last()
                .satisfies(e -> assertThat(e.json()).contains("\"is_complete\":true"));
    }

    @Test
    void whileTheStopWaitsForTheAgentANewMessageIsRefusedWithHighLoadAndNotStored() {
        SessionActor session = joinedStreamingSession();
        session.receive(c, message("m1"));
        c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        c.next("POLY_AGENT_MESSAGE_CHUNK");
        registry.closeAllForRestart();
        long head = store.headSequence(session.record().id());

        session.receive(c, message("m2"));

        JsonNode refused = c.next("SYSTEM_MESSAGE");
        assertThat(refused.path("payload").path("message").asText()).isEqualTo(ErrorMessages.HIGH_LOAD);
        assertThat(refused.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("m2");
        assertThat(store.findByClientEventId(session.record().id(), "m2")).isEmpty();
        assertThat(store.headSequence(session.record().id())).isEqualTo(head);
        registry.endRestartGrace();
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
    }
}
