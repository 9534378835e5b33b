package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PROTOCOL.md §13.11 as a client on the wire sees it: a message over 128 KB is answered with a close
 * frame 1009 that reaches the client before TCP ends, so it can tell "too big" from a network drop
 * (1006) and stop resending. The client here frames by hand and keeps writing its whole payload, as
 * a browser does, while the test thread reads.
 */
@ParleyTest
@BothStores
class OversizedFrameTest {
    static TestServer server;
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool();

    @AfterAll
    static void stopWriters() {
        WRITERS.shutdownNow();
    }

    @ParameterizedTest(name = "a single frame of {0} bytes gets close frame 1009")
    @ValueSource(ints = {200 * 1024, 1024 * 1024})
    void aSingleOversizedFrameIsAnsweredWithACloseFrame1009BeforeTcpCloses(int bytes) throws Exception {
        Session session = newSession();
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), session.id(), session.token(), "")) {
            assertThat(ws.status()).isEqualTo(101);
            byte[] payload = userMessage(bytes);
            WRITERS.execute(() -> quietly(() -> ws.sendFrame(true, 0, RawWebSocket.OP_TEXT, payload)));

            RawWebSocket.Ending ending = ws.awaitClose();
            assertThat(ending.close()).as("close frame (connection ended %s)", ending.after()).isNotNull();
            assertThat(ending.close().closeCode()).isEqualTo(1009);
        }
        assertSessionUsableAndNothingStored(session);
    }

    @Test
    void aFragmentedMessageOver128KbInTotalIsAnsweredWithACloseFrame1009() throws Exception {
        Session session = newSession();
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), session.id(), session.token(), "")) {
            assertThat(ws.status()).isEqualTo(101);
            byte[] message = userMessage(300 * 1024);
            WRITERS.execute(() -> quietly(() -> {
                int chunk = 60 * 1024; // each fragment is under the frame limit, their sum is not
                for (int from = 0; from < message.length; from += chunk) {
                    int to = Math.min(message.length, from + chunk);
                    ws.sendFrame(to == message.length, 0, from == 0 ? RawWebSocket.OP_TEXT : RawWebSocket.OP_CONTINUATION,
                            Arrays.copyOfRange(message, from, to));
                }
            }));

            RawWebSocket.Ending ending = ws.awaitClose();
            assertThat(ending.close()).as("close frame (connection ended %s)", ending.after()).isNotNull();
            assertThat(ending.close().closeCode()).isEqualTo(1009);
        }
        assertSessionUsableAndNothingStored(session);
    }

    private record Session(String id, String token, List<String> history) {
    }

    private static Session newSession() {
        Rest rest = server.rest();
        String token = rest.accessToken();
        String id = rest.createSession(token, false);
        try (WsClient reader = WsClient.connect(server.baseUrl(), id, token, "0")) {
            return new Session(id, token, ids(reader.replay()));
        }
    }

    /** A new connection replays exactly what was there before, and a message is still echoed. */
    private static void assertSessionUsableAndNothingStored(Session session) {
        try (WsClient again = WsClient.connect(server.baseUrl(), session.id(), session.token(), "0")) {
            assertThat(ids(again.replay())).as("nothing stored from the oversized message").isEqualTo(session.history());
            again.sendType("EVENT_TYPE_HEARTBEAT");
            assertThat(again.next("EVENT_TYPE_HEARTBEAT").path("sequence").isNull()).isTrue();
            again.assertNoMoreEvents();
        }
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("sequence").asLong() + " " + e.path("type").asText())
                .collect(Collectors.toList());
    }

    /** A user message of exactly {@code bytes} UTF-8 bytes (valid JSON, so only its size is wrong). */
    static byte[] userMessage(int bytes) {
        String head = "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"big\"},\"pad\":\"";
        return (head + "x".repeat(bytes - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    interface Io {
        void run() throws IOException;
    }

    /** The server may reset the connection while the writer is still sending: that is not the test's concern. */
    static void quietly(Io write) {
        try {
            write.run();
        } catch (IOException ignored) {
            // the reader thread reports how the connection ended
        }
    }
}
