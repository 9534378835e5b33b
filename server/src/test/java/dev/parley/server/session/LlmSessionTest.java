package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserMessage;
import dev.parley.server.agent.AgentMetrics;
import dev.parley.server.agent.llm.FakeLlmServer;
import dev.parley.server.agent.llm.LlmAgent;
import dev.parley.server.agent.llm.LlmSettings;
import dev.parley.server.store.Connector;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session core (real SQLite journal, recording connections) with {@link LlmAgent} talking to a
 * real local HTTP server that replays recorded OpenAI streaming transcripts.
 */
class LlmSessionTest {
    @TempDir
    Path dir;
    private SqliteStore store;
    private GroupCommitWriter journal;
    private ExecutorService executor;
    private ManualScheduler time;
    private FakeLlmServer llm;
    private SessionRegistry registry;

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir);
        journal = new GroupCommitWriter(store, 1000);
        executor = Executors.newFixedThreadPool(2);
        time = new ManualScheduler();
        llm = FakeLlmServer.start();
        LlmSettings settings = LlmSettings.DEFAULTS.withBaseUrl(llm.baseUrl()).withProfile("Ada", null);
        LlmAgent agent = new LlmAgent(settings, LlmAgent.httpClient(settings), time, time.clock(), AgentMetrics.NONE);
        SessionSettings sessions = new SessionSettings(30, Duration.ofMinutes(2), Duration.ofMinutes(10), 3, 16,
                () -> () -> true);
        registry = new SessionRegistry(new SessionServices(journal, store, agent, time.clock(), executor, sessions), store);
        store.upsertConnector(new Connector("con_1", "hash", "example.com", time.now(), null));
    }

    @AfterEach
    void stop() {
        llm.close();
        executor.shutdownNow();
        journal.close();
        store.close();
    }

    private SessionActor session(boolean streaming) {
        String id = registry.create("con_1", "web", streaming).toCompletableFuture().join().id();
        return registry.find(id).toCompletableFuture().join().orElseThrow();
    }

    private static UserMessage userMessage(String text, String clientEventId) {
        return new UserMessage(text, RawJson.of("{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}"),
                clientEventId);
    }

    /** Reads POLY_AGENT_MESSAGE_CHUNKs up to the one with {@code is_complete}; all share one message id. */
    private static List<JsonNode> chunks(RecordingConnection c) {
        List<JsonNode> chunks = new ArrayList<>();
        while (true) {
            JsonNode payload = c.next("POLY_AGENT_MESSAGE_CHUNK").path("payload");
            chunks.add(payload);
            if (payload.path("is_complete").asBoolean()) {
                break;
            }
        }
        assertThat(chunks).extracting(p -> p.path("message_id").asText()).containsOnly(chunks.get(0).path("message_id").asText());
        assertThat(chunks).extracting(p -> p.path("chunk_index").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, chunks.size()).boxed().toList());
        return chunks;
    }

    private static String text(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(p -> text.append(p.path("text").asText()));
        return text.toString();
    }

    private RecordingConnection joined(SessionActor session) {
        RecordingConnection c = new RecordingConnection();
        session.attach(c, 0);
        c.replay();
        session.receive(c, new RequestAgentJoin(null, null));
        c.next("REQUEST_POLY_AGENT_JOIN");
        assertThat(c.next("POLY_AGENT_JOINED").path("payload").path("agent_name").asText()).isEqualTo("Ada");
        c.next("POLY_AGENT_THINKING");
        return c;
    }

    @Test
    void streamingSessionGetsTheTranscriptAsChunksAndAHandoffToolCallHandsOff() {
        llm.thenSse("greeting").thenSse("handoff");
        SessionActor session = session(true);
        RecordingConnection c = joined(session);

        List<JsonNode> greeting = chunks(c);
        assertThat(text(greeting)).isEqualTo(FakeLlmServer.transcriptText("greeting"));
        // Six content deltas re-cut at word ends ("Hi there!" is two words), then the empty closing chunk.
        assertThat(greeting).hasSize(8);

        session.receive(c, userMessage("I was charged twice", "m1"));
        c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        List<JsonNode> reply = chunks(c);
        assertThat(text(reply)).isEqualTo(FakeLlmServer.transcriptText("handoff"))
                .isEqualTo("I'll connect you with our billing team.");
        c.next("POLY_AGENT_TRIGGERED_HANDOFF");
        JsonNode required = c.next("CLIENT_HANDOFF_REQUIRED").path("payload");
        assertThat(required.path("reason").asText()).isEqualTo("COMPLEX_QUERY");
        assertThat(required.path("queue_name").asText()).isEqualTo("billing");
        c.next("POLY_AGENT_LEFT");

        // The second request carried the greeting as the assistant's turn, then the user's message.
        JsonNode messages = llm.requests().get(1).json().path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).path("content").asText()).isEqualTo(FakeLlmServer.transcriptText("greeting"));
        assertThat(messages.get(2).path("content").asText()).isEqualTo("I was charged twice");
    }

    @Test
    void nonStreamingSessionGetsOneWholeMessageWithTheSuggestions() {
        llm.thenSse("greeting").thenSse("suggest");
        SessionActor session = session(false);
        RecordingConnection c = joined(session);
        assertThat(c.next("POLY_AGENT_MESSAGE").path("payload").path("text").asText())
                .isEqualTo(FakeLlmServer.transcriptText("greeting"));

        session.receive(c, userMessage("where is my parcel?", "m1"));
        c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        JsonNode message = c.next("POLY_AGENT_MESSAGE").path("payload");
        assertThat(message.path("text").asText()).isEqualTo("You can track your order from the Orders page.");
        assertThat(message.path("response_suggestions").toString()).contains("Where is my order?", "Talk to a human");
    }

    @Test
    void streamCutMidwayClosesTheStreamOnceThenShowsTheStreamError() {
        llm.thenSse("greeting").thenSse("cut");
        SessionActor session = session(true);
        RecordingConnection c = joined(session);
        chunks(c);

        session.receive(c, userMessage("is my refund done?", "m1"));
        c.next("USER_MESSAGE");
        c.next("POLY_AGENT_THINKING");
        List<JsonNode> partial = chunks(c);
        assertThat(text(partial)).isEqualTo("Let me check that for");
        JsonNode error = c.next("SYSTEM_MESSAGE").path("payload");
        assertThat(error.path("message").asText()).isEqualTo(ErrorMessages.STREAM_FAILED);
    }
}
