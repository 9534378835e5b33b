package dev.parley.client;

import static dev.parley.client.Fixtures.WAIT;
import static dev.parley.client.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.internal.RealConversation;
import dev.parley.server.session.SessionActor;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconnects that depend on the server's answers about time: token expiry and Retry-After. */
class ReconnectTest {
    @TempDir
    Path dataDir;
    TestServer server;
    ParleyClient client;
    final List<WsClient> sockets = new ArrayList<>();

    @AfterEach
    void tearDown() {
        sockets.forEach(WsClient::close);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tokenIsRenewedBeforeItExpiresAndALaterReconnectUsesTheRenewedOne() {
        // One virtual time for the SDK's timers, the SDK's clock and the server's token expiry.
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ManualTimers timers = new ManualTimers(start);
        server = TestServer.start(dataDir, c -> c.withAccessTokenLifetime(Duration.ofSeconds(60)), timers.clock());
        String tokenOfTheFirstMinute = server.rest().accessToken();
        RecordingListener listener = new RecordingListener();
        client = ParleyClient.create(options(server).timers(timers).clock(timers.clock())
                .tokenRenewalMargin(Duration.ofSeconds(10)).build());
        RealConversation conversation = (RealConversation) client.start(listener);
        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));
        assertThat(conversation.accessTokenExpiresAt()).isEqualTo(start.plusSeconds(60));

        timers.advance(Duration.ofSeconds(50)); // 10 s before expiry: the renewal is due

        await().atMost(WAIT).until(() -> start.plusSeconds(110).equals(conversation.accessTokenExpiresAt()));

        timers.advance(Duration.ofSeconds(20)); // the first token has expired
        assertThat(WsClient.refusedStatus(server.baseUrl(), conversation.sessionId(), tokenOfTheFirstMinute, "0"))
                .isEqualTo(401);
        conversation.abortSocket();
        await().atMost(WAIT).until(() -> {
            timers.advance(Duration.ofMillis(100)); // past the back-off, a little at a time
            return listener.states.size() == 4 && conversation.state() == ConnectionState.CONNECTED;
        });

        assertThat(listener.states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        assertThat(listener.failures).isEmpty();
        assertThat(conversation.accessTokenExpiresAt()).as("no token fetched for the reconnect")
                .isEqualTo(start.plusSeconds(110));
        assertThat(settle(conversation.send("Still there?"))).isEqualTo(DeliveryStatus.SENT);
    }

    @Test
    void handshakeRefusedForTheConnectionLimitWaitsRetryAfterThenConnectsWithoutFailing() throws Exception {
        server = TestServer.start(dataDir);
        String token = server.rest().accessToken();
        String sessionId = server.rest().createSession(token, false);
        for (int i = 0; i < 10; i++) { // PROTOCOL.md §3.3: ten connections per session
            sockets.add(WsClient.connect(server.baseUrl(), sessionId, token, null));
        }
        assertThat(WsClient.refusedStatus(server.baseUrl(), sessionId, token, null)).isEqualTo(429);
        ManualTimers timers = new ManualTimers();
        RecordingListener listener = new RecordingListener();
        client = ParleyClient.create(options(server).timers(timers).build());

        Conversation conversation = client.resume(sessionId, 0, listener);

        // Refused with Retry-After: 5; pending are the retry and the token renewal.
        await().atMost(WAIT).until(() -> listener.states.contains(ConnectionState.RECONNECTING)
                && timers.scheduler.pending() == 2);
        sockets.forEach(WsClient::close);
        sockets.clear();
        await().atMost(WAIT).until(() -> !session(sessionId).hasConnections());

        timers.advance(Duration.ofSeconds(4)); // long past the 50 ms back-off, short of Retry-After
        assertThat(timers.scheduler.pending()).as("retry still waiting").isEqualTo(2);
        assertThat(conversation.state()).isEqualTo(ConnectionState.RECONNECTING);

        timers.advance(Duration.ofSeconds(1));

        await().atMost(WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));
        assertThat(listener.states).containsExactly(ConnectionState.CONNECTING, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED);
        assertThat(listener.failures).isEmpty();
    }

    private SessionActor session(String sessionId) throws Exception {
        return server.server().sessions().find(sessionId).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
    }

    private static DeliveryStatus settle(OutgoingMessage message) {
        try {
            return message.settled().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("not settled: " + message, e);
        }
    }
}
