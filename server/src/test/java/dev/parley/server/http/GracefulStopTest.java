package dev.parley.server.http;

import static dev.parley.server.testing.Frames.flatten;
import static dev.parley.server.testing.Frames.sequence;
import static dev.parley.server.testing.Frames.sequences;
import static dev.parley.server.testing.Frames.stored;
import static dev.parley.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.session.CloseCodes;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 9: a graceful stop (what the shutdown hook of {@code parley serve} runs on SIGTERM)
 * closes every socket with 1012 "service restart", never 1000 (official mobile SDKs take 1000 as
 * "conversation over" and never reconnect), after the echoes of what was already accepted went out;
 * the next node on the same data directory resumes the session with no gap.
 */
class GracefulStopTest {
    @TempDir
    Path dataDir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TestServer start() {
        TestServer server = TestServer.start(dataDir);
        open.add(server);
        return server;
    }

    @Test
    void aGracefulStopClosesClientSocketsWithServiceRestartAndTheNextNodeResumesWithoutGap() {
        TestServer first = start();
        WsClient ws = first.newSession(false);
        List<JsonNode> seen = new ArrayList<>(ws.replay());
        ws.join();
        seen.addAll(Frames.readUntilAgentReply(ws));
        ws.say("one last thing before you go", "before-stop");
        seen.addAll(Frames.readUntil(ws, f -> type(f).equals("EVENT_TYPE_USER_MESSAGE")));
        JsonNode echo = seen.get(seen.size() - 1);

        first.close();

        assertThat(ws.awaitClose()).as("close code").isEqualTo(CloseCodes.SERVICE_RESTART);
        seen.addAll(ws.unread()); // whatever else the agent managed to say before the stop
        long cursor = sequence(stored(flatten(seen)).get(stored(flatten(seen)).size() - 1));

        TestServer second = start();
        List<JsonNode> all;
        try (WsClient everything = WsClient.connect(second.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
            all = replayAll(everything);
        }
        assertThat(sequences(all)).as("journal after restart")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
        assertThat(Frames.ids(all)).as("the echoed message is durable").contains(echo.path("id").asText());

        try (WsClient resumed = WsClient.connect(second.baseUrl(), ws.sessionId(), ws.accessToken(),
                String.valueOf(cursor))) {
            List<JsonNode> replay = replayAll(resumed);
            assertThat(sequences(replay)).as("replay after the cursor")
                    .containsExactlyElementsOf(LongStream.rangeClosed(cursor + 1, all.size()).boxed().toList());
            resumed.say("I am back", "after-restart");
            JsonNode next = resumed.nextOfType("EVENT_TYPE_USER_MESSAGE");
            assertThat(sequence(next)).as("the next sequence").isEqualTo(all.size() + 1);
        }
    }

    @Test
    void aSecondSocketOfTheSameSessionIsClosedWithServiceRestartToo() {
        TestServer first = start();
        WsClient a = first.newSession(false);
        a.replay();
        WsClient b = a.reconnect(first.baseUrl(), "0");
        b.replay();
        a.assertNoMoreEvents();
        b.assertNoMoreEvents();

        first.close();

        assertThat(a.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(b.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
    }

    @Test
    void aGracefulStopLetsTheAgentFinishItsStreamedReplyAndDeliversItBeforeServiceRestart() {
        TestServer first = TestServer.start(dataDir, config -> config.withStreamChunkDelay(Duration.ofMillis(100)));
        open.add(first);
        WsClient ws = first.newSession(true);
        ws.replay();
        ws.join();
        Frames.readUntilAgentReply(ws); // the streamed greeting
        ws.say("what are your hours?", "before-stop");
        Frames.readUntil(ws, f -> type(f).equals("EVENT_TYPE_USER_MESSAGE"));

        first.close(); // while the reply is still being streamed, a delta every 100 ms

        assertThat(ws.awaitClose()).as("close code").isEqualTo(CloseCodes.SERVICE_RESTART);
        List<JsonNode> beforeClose = ws.unread();
        assertThat(beforeClose).as("the whole reply came before the close").anyMatch(Frames::isAgentReplyEnd);
        assertThat(Frames.isAgentReplyEnd(beforeClose.get(beforeClose.size() - 1)))
                .as("nothing after the reply's last chunk").isTrue();

        TestServer second = start();
        try (WsClient back = WsClient.connect(second.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
            List<JsonNode> all = replayAll(back);
            back.assertNoMoreEvents(); // the next node owes nothing: it asks the agent nothing
            assertThat(all.stream().filter(Frames::isAgentReplyEnd).count()).as("greeting and one reply").isEqualTo(2);
        }
    }

    /** Every event of the connect-time replay: batches end when a heartbeat probe comes back. */
    static List<JsonNode> replayAll(WsClient ws) {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode frame : ws.drain()) {
            if (type(frame).equals(Frames.BATCH)) {
                frame.path("payload").path("events").forEach(events::add);
            }
        }
        return events;
    }
}
