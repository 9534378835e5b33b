package dev.parley.server.http;

import static dev.parley.server.testing.Frames.BATCH;
import static dev.parley.server.testing.Frames.flatten;
import static dev.parley.server.testing.Frames.ofType;
import static dev.parley.server.testing.Frames.sequence;
import static dev.parley.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resending an unacknowledged client event with the same {@code metadata.custom.client_event_id}
 * (PROTOCOL.md §4.4, §13.5): it is processed once, and every resend gets the original echo back,
 * to the sender only — on the same socket, on a new socket and after a restart.
 */
@ParleyTest(config = "fastSessionRates")
@BothStores
class IdempotencyTest {
    private static final String USER_MESSAGE = "EVENT_TYPE_USER_MESSAGE";
    private static final String JOIN = "EVENT_TYPE_REQUEST_POLY_AGENT_JOIN";
    private static final String END = "EVENT_TYPE_USER_END_SESSION";

    static TestServer server;

    static ParleyConfig fastSessionRates(ParleyConfig c) {
        return c.withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate());
    }

    /** A new session with the agent joined and its greeting read. */
    private static WsClient joined(TestServer on) {
        WsClient ws = on.newSession(false);
        ws.replay();
        ws.join();
        Frames.readUntilAgentReply(ws);
        return ws;
    }

    /** The full stored history of the session, read on a fresh socket. */
    private static List<JsonNode> history(TestServer on, WsClient ws) {
        try (WsClient reader = ws.reconnect(on.baseUrl(), "0")) {
            List<JsonNode> frames = new ArrayList<>();
            frames.add(reader.next(BATCH));
            frames.addAll(reader.drain());
            return flatten(frames);
        }
    }

    private static long countWithClientEventId(List<JsonNode> events, String clientEventId) {
        return events.stream()
                .filter(e -> e.path("metadata").path("custom").path("client_event_id").asText().equals(clientEventId))
                .count();
    }

    @Test
    void aUserMessageSentFiveTimesIsEchoedIdenticallyEachTimeAndAnsweredOnce() {
        try (WsClient ws = joined(server)) {
            for (int i = 0; i < 5; i++) {
                ws.say("What are your opening hours?", "same-1");
            }
            List<JsonNode> frames = new ArrayList<>(Frames.readUntilAgentReply(ws));
            while (ofType(frames, USER_MESSAGE).size() < 5) {
                frames.add(ws.next());
            }
            frames.addAll(ws.drain());

            List<JsonNode> echoes = ofType(frames, USER_MESSAGE);
            assertThat(echoes).hasSize(5);
            assertThat(echoes).allSatisfy(e -> assertThat(ws.raw(e)).isEqualTo(ws.raw(echoes.get(0))));
            assertThat(echoes.get(0).path("payload").path("message_id").asText()).startsWith("msg_");
            assertThat(ofType(frames, "EVENT_TYPE_POLY_AGENT_THINKING")).hasSize(1);
            assertThat(ofType(frames, "EVENT_TYPE_POLY_AGENT_MESSAGE")).hasSize(1);

            List<JsonNode> history = history(server, ws);
            assertThat(countWithClientEventId(history, "same-1")).isEqualTo(1);
            assertThat(ofType(history, USER_MESSAGE)).containsExactly(echoes.get(0));
        }
    }

    @Test
    void aUserMessageResentOnANewSocketGetsTheOriginalEchoAndNoSecondAnswer() {
        WsClient first = joined(server);
        first.say("Book a table", "new-socket-1");
        JsonNode original = first.next(USER_MESSAGE);
        Frames.readUntilAgentReply(first);
        first.assertNoMoreEvents();
        long head = sequence(original) + 1; // the echo, then the answer
        first.abort();

        try (WsClient second = first.reconnect(server.baseUrl(), String.valueOf(head))) {
            assertThat(second.next(BATCH).path("payload").path("events")).isEmpty();
            for (int i = 0; i < 3; i++) {
                second.say("Book a table", "new-socket-1");
                JsonNode echo = second.next(USER_MESSAGE);
                assertThat(echo).isEqualTo(original);
                second.assertNoMoreEvents();
            }
            assertThat(countWithClientEventId(history(server, second), "new-socket-1")).isEqualTo(1);
        }
    }

    @Test
    void aUserMessageResentAfterARestartOnTheSameDataGetsTheOriginalEchoAndNoSecondAnswer(@TempDir Path own) {
        JsonNode original;
        WsClient before;
        List<JsonNode> historyBefore;
        try (TestServer first = TestServer.start(own)) {
            before = joined(first);
            before.say("How much does it cost?", "restart-1");
            original = before.next(USER_MESSAGE);
            Frames.readUntilAgentReply(before);
            before.close();
            historyBefore = history(first, before);
        }
        try (TestServer second = TestServer.start(own);
             WsClient ws = before.reconnect(second.baseUrl(), String.valueOf(sequence(original) + 1))) {
            assertThat(ws.next(BATCH).path("payload").path("events")).isEmpty();
            for (int i = 0; i < 5; i++) {
                ws.say("How much does it cost?", "restart-1");
                assertThat(ws.next(USER_MESSAGE)).isEqualTo(original);
            }
            ws.assertNoMoreEvents();
            assertThat(history(second, ws)).containsExactlyElementsOf(historyBefore);
        }
    }

    /** A user message as PolyAI's official SDKs send it: no client_event_id, a local_id in custom metadata. */
    private static String withLocalId(String text, String localId) {
        return "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"" + text + "\"},"
                + "\"metadata\":{\"custom\":{\"local_id\":\"" + localId + "\",\"sender\":\"android\"}}}";
    }

    @Test
    void aMessageResentWithOnlyItsLocalIdIsStoredAndAnsweredOnceAndGetsTheOriginalEcho() {
        try (WsClient ws = joined(server)) {
            ws.send(withLocalId("What are your opening hours?", "local-1"));
            JsonNode original = ws.next(USER_MESSAGE);
            Frames.readUntilAgentReply(ws);
            for (int i = 0; i < 3; i++) {
                ws.send(withLocalId("What are your opening hours?", "local-1"));
                assertThat(ws.next(USER_MESSAGE)).isEqualTo(original);
            }
            ws.assertNoMoreEvents();

            List<JsonNode> stored = ofType(history(server, ws), USER_MESSAGE).stream()
                    .filter(e -> e.path("metadata").path("custom").path("local_id").asText().equals("local-1"))
                    .toList();
            assertThat(stored).containsExactly(original);
        }
    }

    @Test
    void aMessageResentWithOnlyItsLocalIdAfterARestartGetsTheOriginalEchoAndNoSecondAnswer(@TempDir Path own) {
        JsonNode original;
        WsClient before;
        try (TestServer first = TestServer.start(own)) {
            before = joined(first);
            before.send(withLocalId("How much does it cost?", "local-restart"));
            original = before.next(USER_MESSAGE);
            Frames.readUntilAgentReply(before);
            before.close();
        }
        try (TestServer second = TestServer.start(own);
             WsClient ws = before.reconnect(second.baseUrl(), String.valueOf(sequence(original) + 1))) {
            assertThat(ws.next(BATCH).path("payload").path("events")).isEmpty();
            ws.send(withLocalId("How much does it cost?", "local-restart"));
            assertThat(ws.next(USER_MESSAGE)).isEqualTo(original);
            ws.assertNoMoreEvents();
        }
    }

    @Test
    void theRepeatedEchoGoesToTheSenderOnlyNotToOtherConnectionsOfTheSession() {
        try (WsClient sender = joined(server);
             WsClient watcher = sender.reconnect(server.baseUrl(), null)) {
            watcher.next(BATCH);
            sender.say("Show me the menu", "watched-1");
            JsonNode original = sender.next(USER_MESSAGE);
            Frames.readUntilAgentReply(sender);
            assertThat(watcher.next(USER_MESSAGE)).isEqualTo(original);
            Frames.readUntilAgentReply(watcher);

            sender.say("Show me the menu", "watched-1");
            assertThat(sender.next(USER_MESSAGE)).isEqualTo(original);
            watcher.assertNoMoreEvents();
            sender.assertNoMoreEvents();
        }
    }

    @Test
    void differentClientEventIdsAreDifferentEventsEachAnswered() {
        try (WsClient ws = joined(server)) {
            ws.say("Hello", "diff-a");
            List<JsonNode> a = Frames.readUntilAgentReply(ws);
            ws.say("Hello", "diff-b");
            List<JsonNode> b = Frames.readUntilAgentReply(ws);

            JsonNode echoA = ofType(a, USER_MESSAGE).get(0);
            JsonNode echoB = ofType(b, USER_MESSAGE).get(0);
            assertThat(echoB.get("id")).isNotEqualTo(echoA.get("id"));
            assertThat(sequence(echoB)).isGreaterThan(sequence(echoA));
            assertThat(echoB.path("payload").path("message_id")).isNotEqualTo(echoA.path("payload").path("message_id"));
            assertThat(ofType(a, "EVENT_TYPE_POLY_AGENT_MESSAGE")).hasSize(1);
            assertThat(ofType(b, "EVENT_TYPE_POLY_AGENT_MESSAGE")).hasSize(1);
        }
    }

    @Test
    void aJoinRequestSentThreeTimesJoinsAndGreetsOnceWithIdenticalEchoes() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            for (int i = 0; i < 3; i++) {
                ws.sendType(JOIN, "join-1");
            }
            List<JsonNode> frames = new ArrayList<>(Frames.readUntilAgentReply(ws));
            while (ofType(frames, JOIN).size() < 3) {
                frames.add(ws.next());
            }
            frames.addAll(ws.drain());

            List<JsonNode> echoes = ofType(frames, JOIN);
            assertThat(echoes).allSatisfy(e -> assertThat(e).isEqualTo(echoes.get(0)));
            assertThat(sequence(echoes.get(0))).isEqualTo(2);
            assertThat(ofType(frames, "EVENT_TYPE_POLY_AGENT_JOINED")).hasSize(1);
            assertThat(ofType(frames, "EVENT_TYPE_POLY_AGENT_MESSAGE")).hasSize(1);
            assertThat(countWithClientEventId(history(server, ws), "join-1")).isEqualTo(1);
        }
    }

    @Test
    void aJoinRequestResentOnANewSocketGetsTheOriginalEchoWithoutRejoining() {
        WsClient first = server.newSession(false);
        first.replay();
        first.sendType(JOIN, "join-2");
        JsonNode original = first.next(JOIN);
        Frames.readUntilAgentReply(first);
        first.abort();
        try (WsClient second = first.reconnect(server.baseUrl(), "4")) {
            second.next(BATCH);
            second.sendType(JOIN, "join-2");
            assertThat(second.next(JOIN)).isEqualTo(original);
            second.assertNoMoreEvents();
        }
    }

    @Test
    void anEndSessionSentTwiceIsEchoedAndEndsTheSessionOnceAndNothingAnswersTheFramesThatFollowIt() {
        WsClient ws = joined(server);
        ws.sendType(END, "end-1");
        ws.sendType("EVENT_TYPE_HEARTBEAT");
        ws.sendType(END, "end-1");
        JsonNode echo = ws.next(END);
        assertThat(echo.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("end-1");
        JsonNode end = ws.next("EVENT_TYPE_SESSION_END");
        assertThat(sequence(end)).isEqualTo(sequence(echo) + 1);
        assertThat(ws.awaitClose()).isEqualTo(1000);
        assertThat(ws.unread()).as("frames after SESSION_END").isEmpty();

        try (WsClient again = ws.reconnect(server.baseUrl(), "0")) {
            List<JsonNode> history = again.replay();
            assertThat(again.awaitClose()).isEqualTo(1000);
            assertThat(ofType(history, END)).containsExactly(echo);
            assertThat(ofType(history, "EVENT_TYPE_SESSION_END")).containsExactly(end);
            assertThat(type(history.get(history.size() - 1))).isEqualTo("EVENT_TYPE_SESSION_END");
        }
    }
}
