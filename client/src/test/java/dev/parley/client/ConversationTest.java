package dev.parley.client;

import static dev.parley.client.Fixtures.WAIT;
import static dev.parley.client.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.EndReason;
import dev.parley.protocol.EventType;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against a real server: the conversation as a user lives it. */
class ConversationTest {
    @TempDir
    Path dataDir;
    TestServer server;
    ParleyClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Conversation start(RecordingListener listener, boolean streaming) {
        server = TestServer.start(dataDir);
        client = ParleyClient.create(options(server).streaming(streaming).build());
        return client.start(listener);
    }

    @Test
    void startJoinsTheAgentAndDeliversItsGreeting() {
        RecordingListener listener = new RecordingListener();
        Conversation conversation = start(listener, false);

        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));
        assertThat(listener.agentNames).containsExactly("Ada");
        assertThat(listener.states).startsWith(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        assertThat(conversation.sessionId()).isNotBlank();
        assertThat(listener.eventsOf(EventType.SESSION_START)).hasSize(1);
        assertThat(listener.eventsOf(EventType.REQUEST_POLY_AGENT_JOIN)).hasSize(1);
        assertThat(listener.threads).allMatch(name -> name.startsWith("parley-client-conversation-"));
    }

    @Test
    void sentMessageGoesFromSendingToSentWithItsEcho() throws Exception {
        RecordingListener listener = new RecordingListener();
        Conversation conversation = start(listener, false);
        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));

        OutgoingMessage message = conversation.send("What are your opening hours?");

        assertThat(message.settled().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(DeliveryStatus.SENT);
        assertThat(listener.statusesOf(message)).containsExactly(DeliveryStatus.SENDING, DeliveryStatus.SENT);
        assertThat(message.messageId()).startsWith("msg_");
        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("We're open Tuesday to Sunday"));
        // The cursor is updated just before the listener hears of an event, so compare once both settled.
        await().atMost(WAIT).untilAsserted(() -> assertThat(conversation.lastSequence()).isEqualTo(
                listener.events.stream().filter(e -> !e.isTransient()).mapToLong(ServerEvent::sequence).max().orElseThrow()));
    }

    @Test
    void streamedReplyIsReassembledFromItsChunksWithPartialProgress() {
        RecordingListener listener = new RecordingListener();
        Conversation conversation = start(listener, true);
        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));

        conversation.send("When are you open?");

        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("We're open"));
        AgentMessage reply = listener.agentMessages.stream().filter(m -> m.text().startsWith("We're open")).findFirst().orElseThrow();
        List<PolyAgentMessageChunk> chunks = listener.eventsOf(EventType.POLY_AGENT_MESSAGE_CHUNK).stream()
                .map(e -> (PolyAgentMessageChunk) e.payload())
                .filter(c -> c.messageId().equals(reply.messageId()))
                .collect(Collectors.toList());
        assertThat(chunks.size()).isGreaterThan(1);
        assertThat(reply.text()).isEqualTo(chunks.stream().map(PolyAgentMessageChunk::text).collect(Collectors.joining()));
        assertThat(reply.suggestions()).extracting(s -> s.messageText()).contains("Book a table");
        List<String> partials = listener.partials.stream().filter(p -> p.messageId().equals(reply.messageId()))
                .map(RecordingListener.Partial::textSoFar).collect(Collectors.toList());
        assertThat(partials).hasSize(chunks.size());
        assertThat(partials.get(0)).isEqualTo(chunks.get(0).text());
        assertThat(partials.get(partials.size() - 1)).isEqualTo(reply.text());
        assertThat(listener.eventsOf(EventType.POLY_AGENT_MESSAGE)).isEmpty();
    }

    @Test
    void endingTheSessionReportsTheReasonAndClosesTheConversation() {
        RecordingListener listener = new RecordingListener();
        Conversation conversation = start(listener, false);
        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));

        conversation.end();

        await().atMost(WAIT).until(() -> listener.states.contains(ConnectionState.CLOSED));
        assertThat(listener.endings).containsExactly(EndReason.REASON_USER_END);
        assertThat(listener.states).endsWith(ConnectionState.CLOSED).doesNotContain(ConnectionState.RECONNECTING);
        assertThat(conversation.send("anyone there?").status()).isEqualTo(DeliveryStatus.FAILED);
    }

    @Test
    void resumeReplaysOnlyWhatCameAfterTheCursorAndCarriesOnWithoutANewJoin() {
        RecordingListener first = new RecordingListener();
        Conversation conversation = start(first, false);
        await().atMost(WAIT).until(() -> first.hasAgentMessageStartingWith("Hi, I'm Ada"));
        String sessionId = conversation.sessionId();
        long cursor = conversation.lastSequence();
        conversation.close();
        await().atMost(WAIT).until(() -> conversation.state() == ConnectionState.CLOSED);

        RecordingListener second = new RecordingListener();
        Conversation resumed = client.resume(sessionId, cursor, second);
        await().atMost(WAIT).until(() -> resumed.state() == ConnectionState.CONNECTED);
        resumed.send("What are your opening hours?");

        await().atMost(WAIT).until(() -> second.hasAgentMessageStartingWith("We're open"));
        assertThat(second.events).filteredOn(e -> !e.isTransient()).allMatch(e -> e.sequence() > cursor);
        assertThat(second.eventsOf(EventType.REQUEST_POLY_AGENT_JOIN)).isEmpty();
        assertThat(Fixtures.countUserMessages(Fixtures.history(server, sessionId), "What are your opening hours?")).isEqualTo(1);
    }

    @Test
    void unknownSessionIsRefusedOnceWithoutReconnecting() {
        server = TestServer.start(dataDir);
        client = ParleyClient.create(options(server).build());
        RecordingListener listener = new RecordingListener();

        client.resume("0190a1b2-0000-7000-8000-000000000000", 0, listener);

        await().atMost(WAIT).until(() -> listener.states.contains(ConnectionState.CLOSED));
        assertThat(listener.failures).singleElement().satisfies(f -> assertThat(f.httpStatus()).isEqualTo(404));
        assertThat(listener.states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CLOSED);
    }
}
