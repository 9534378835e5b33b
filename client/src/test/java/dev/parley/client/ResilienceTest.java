package dev.parley.client;

import static dev.parley.client.Fixtures.WAIT;
import static dev.parley.client.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.internal.ClientFrames;
import dev.parley.client.internal.RealConversation;
import dev.parley.protocol.EventType;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropped sockets, resends, concurrency and time, against a real server. */
class ResilienceTest {
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

    private Conversation startGreeted(ClientOptions options, RecordingListener listener) {
        client = ParleyClient.create(options);
        Conversation conversation = client.start(listener);
        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));
        return conversation;
    }

    @Test
    void messageWhoseSocketDroppedBeforeTheEchoEndsSentOnceAndIsStoredOnce() {
        server = TestServer.start(dataDir);
        RecordingListener listener = new RecordingListener();
        Conversation conversation = startGreeted(options(server).build(), listener);

        ((RealConversation) conversation).abortAfterNextMessage();
        OutgoingMessage message = conversation.send("Show me the menu");

        assertThat(settle(message)).isEqualTo(DeliveryStatus.SENT);
        assertThat(listener.states).contains(ConnectionState.RECONNECTING);
        assertThat(listener.statusesOf(message)).containsExactly(DeliveryStatus.SENDING, DeliveryStatus.SENT);
        assertThat(listener.eventsOf(EventType.USER_MESSAGE))
                .filteredOn(e -> message.clientEventId().equals(ClientFrames.clientEventId(e.metadata())))
                .hasSize(1);
        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Here's tonight's menu"));
        assertThat(Fixtures.countUserMessages(Fixtures.history(server, conversation.sessionId()), "Show me the menu"))
                .isEqualTo(1);
        assertThat(listener.eventsOf(EventType.REQUEST_POLY_AGENT_JOIN)).hasSize(1);
    }

    @Test
    void socketDroppedMidStreamStillDeliversTheCompletedMessageOnceAndWhole() {
        server = TestServer.start(dataDir, c -> c.withStreamChunkDelay(Duration.ofMillis(30)));
        RecordingListener listener = new RecordingListener();
        Conversation conversation = startGreeted(options(server).streaming(true).build(), listener);
        String greetingId = listener.agentMessages.get(0).messageId();
        AtomicBoolean dropped = new AtomicBoolean();
        listener.onPartial = (c, partial) -> {
            if (!partial.messageId().equals(greetingId) && dropped.compareAndSet(false, true)) {
                ((RealConversation) c).abortSocket();
            }
        };

        conversation.send("What are your opening hours?");

        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("We're open"));
        assertThat(dropped).isTrue();
        assertThat(listener.states).contains(ConnectionState.RECONNECTING);
        List<AgentMessage> replies = listener.agentMessages.stream()
                .filter(m -> m.text().startsWith("We're open")).collect(Collectors.toList());
        assertThat(replies).hasSize(1);
        List<ServerEvent> chunkEvents = listener.eventsOf(EventType.POLY_AGENT_MESSAGE_CHUNK).stream()
                .filter(e -> ((PolyAgentMessageChunk) e.payload()).messageId().equals(replies.get(0).messageId()))
                .collect(Collectors.toList());
        assertThat(chunkEvents).extracting(ServerEvent::id).doesNotHaveDuplicates();
        assertThat(replies.get(0).text())
                .isEqualTo(chunkEvents.stream().map(e -> ((PolyAgentMessageChunk) e.payload()).text()).collect(Collectors.joining()))
                .endsWith("On Mondays the kitchen rests.");
    }

    @Test
    void concurrentSendsAreAllSentAndEventsArriveInStrictSequenceWithoutDuplicates() throws Exception {
        server = TestServer.start(dataDir, c -> c.withRates(new ParleyConfig.RateLimit(1_000, 1_000), c.httpRate()));
        RecordingListener listener = new RecordingListener();
        Conversation conversation = startGreeted(options(server).build(), listener);
        List<OutgoingMessage> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            senders.add(CompletableFuture.runAsync(() -> {
                awaitLatch(go);
                for (int i = 0; i < 10; i++) {
                    messages.add(conversation.send("thread " + thread + " message " + i));
                }
            }));
        }
        go.countDown();
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> messages.stream().allMatch(m -> m.status() == DeliveryStatus.SENT));
        assertThat(messages).hasSize(40);
        assertThat(messages).extracting(OutgoingMessage::messageId).doesNotHaveDuplicates();
        List<Long> sequences = listener.events.stream().filter(e -> !e.isTransient()).map(ServerEvent::sequence)
                .collect(Collectors.toList());
        for (int i = 1; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).as("sequence after %s", sequences.get(i - 1)).isGreaterThan(sequences.get(i - 1));
        }
        assertThat(listener.events).extracting(ServerEvent::id).doesNotHaveDuplicates();
        assertThat(listener.eventsOf(EventType.USER_MESSAGE)).hasSize(40);
    }

    /** Waits for the final status; the listener has been told by the time this returns. */
    private static DeliveryStatus settle(OutgoingMessage message) {
        try {
            return message.settled().toCompletableFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("not settled: " + message, e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void heartbeatGoesOutWhenTheIntervalHasPassedAndNotBefore() {
        server = TestServer.start(dataDir);
        ManualTimers timers = new ManualTimers();
        RecordingListener listener = new RecordingListener();
        Conversation conversation = startGreeted(options(server).timers(timers).build(), listener);

        timers.advance(Duration.ofSeconds(29));
        OutgoingMessage probe = conversation.send("Hello");
        await().atMost(WAIT).until(() -> probe.status() == DeliveryStatus.SENT);
        // A heartbeat written before the probe would have been echoed before the probe's echo.
        assertThat(listener.eventsOf(EventType.HEARTBEAT)).isEmpty();

        timers.advance(Duration.ofSeconds(1));

        await().atMost(WAIT).until(() -> listener.eventsOf(EventType.HEARTBEAT).size() == 1);
        assertThat(listener.eventsOf(EventType.HEARTBEAT).get(0).isTransient()).isTrue();
    }

    @Test
    void messageFailsAfterThreeResendsWhenTheServerNeverEchoesIt() {
        // Burst 1: the join takes the only token, so every later frame is dropped with a warning.
        server = TestServer.start(dataDir, c -> c.withRates(new ParleyConfig.RateLimit(0.0001, 1), c.httpRate()));
        ManualTimers timers = new ManualTimers();
        RecordingListener listener = new RecordingListener();
        Conversation conversation = startGreeted(options(server).timers(timers).build(), listener);

        OutgoingMessage message = conversation.send("Book a table");

        for (int attempt = 1; attempt <= 4; attempt++) {
            int expected = attempt;
            await().atMost(WAIT).until(() -> droppedCopiesOf(listener, message) == expected);
            assertThat(message.status()).isEqualTo(DeliveryStatus.SENDING);
            timers.advance(Duration.ofSeconds(5L * attempt)); // §4.4: wait 5 s × attempt
        }
        assertThat(settle(message)).isEqualTo(DeliveryStatus.FAILED);
        assertThat(listener.statusesOf(message)).containsExactly(DeliveryStatus.SENDING, DeliveryStatus.FAILED);
        assertThat(droppedCopiesOf(listener, message)).isEqualTo(4);
        assertThat(conversation.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    /** Copies of {@code message} the server dropped, each answered with a rate-limit warning. */
    private static long droppedCopiesOf(RecordingListener listener, OutgoingMessage message) {
        return listener.eventsOf(EventType.SYSTEM_MESSAGE).stream()
                .filter(e -> ((SystemMessage) e.payload()).message().startsWith("Rate limit exceeded"))
                .filter(e -> message.clientEventId().equals(ClientFrames.clientEventId(e.metadata())))
                .count();
    }

    @Test
    void reconnectBudgetRunsOutWhenTheServerIsGoneAndPendingMessagesFail() {
        server = TestServer.start(dataDir);
        RecordingListener listener = new RecordingListener();
        Conversation conversation = startGreeted(options(server).maxReconnectAttempts(2).build(), listener);

        server.close();
        server = null;
        OutgoingMessage message = conversation.send("Is anyone there?");

        await().atMost(WAIT).until(() -> listener.states.contains(ConnectionState.CLOSED));
        assertThat(listener.failures).singleElement().satisfies(f -> assertThat(f).hasMessageContaining("2 reconnect attempts"));
        assertThat(message.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(listener.states).containsSubsequence(ConnectionState.RECONNECTING, ConnectionState.CLOSED);
    }
}
