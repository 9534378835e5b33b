package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad client input over a real socket (PROTOCOL.md §5, §11.1, §13.7–13.9, §13.11): every invalid
 * frame is answered with one error {@code SYSTEM_MESSAGE} to its sender, the socket stays open and
 * nothing is journaled. Only an oversized frame closes the socket (1009, our choice for §13.11).
 */
@ParleyTest(config = "fastHttpRates")
@BothStores
class BadInputTest {
    private static final String INVALID = "Unknown event type or invalid message format";
    private static final String METADATA = "{\"custom\":{\"client_event_id\":\"bad-1\",\"note\":[1,2]},\"tag\":\"x\"}";
    private static final int MAX_FRAME_BYTES = 131072;

    static TestServer server;

    // Every case opens its own session; keep the HTTP rate limit out of the way of ~50 of them.
    static ParleyConfig fastHttpRates(ParleyConfig c) {
        return c.withRates(c.sessionMessageRate(), new ParleyConfig.RateLimit(1000, 1000));
    }

    // ---- malformed envelopes -----------------------------------------------------------------

    @Test
    void malformedJsonIsAnsweredWithAnInvalidFormatErrorAndNothingIsStored() {
        JsonNode error = rejectedInJoinedSession("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hi\"");
        assertError(error, INVALID, "malformed JSON");
        assertNoMetadata(error);
    }

    @Test
    void aJsonArrayIsAnsweredWithAnInvalidFormatError() {
        JsonNode error = rejectedInJoinedSession("[{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{}}]");
        assertError(error, INVALID, "not a JSON object");
        assertNoMetadata(error);
    }

    @Test
    void aFrameWithoutTypeIsRejectedAndItsMetadataIsEchoed() {
        JsonNode error = rejectedInJoinedSession("{\"payload\":{\"text\":\"hi\"},\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "type");
        assertMetadataEchoed(error);
    }

    /** §11.5: a {@code type} that is not a string still gets the frame's metadata back on its error. */
    @ParameterizedTest(name = "type {0} is rejected and the metadata echoed")
    @ValueSource(strings = {"5", "null", "{\"name\":\"EVENT_TYPE_HEARTBEAT\"}", "[\"EVENT_TYPE_HEARTBEAT\"]"})
    void aTypeThatIsNotAStringIsRejectedAndItsMetadataIsEchoed(String type) {
        JsonNode error = rejectedInJoinedSession("{\"type\":" + type + ",\"payload\":{},\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "\"type\" must be a string");
        assertMetadataEchoed(error);
    }

    @Test
    void anUnknownTypeIsRejectedNamingTheType() {
        JsonNode error = rejectedInJoinedSession(
                "{\"type\":\"EVENT_TYPE_NOT_A_THING\",\"payload\":{},\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "EVENT_TYPE_NOT_A_THING");
        assertMetadataEchoed(error);
    }

    /** PROTOCOL.md §6.6 minus the echoes: everything only the server may send. */
    static Stream<String> serverOnlyTypes() {
        return Stream.of(
                "POLY_AGENT_JOINED", "POLY_AGENT_THINKING", "POLY_AGENT_MESSAGE", "POLY_AGENT_MESSAGE_CHUNK",
                "POLY_AGENT_LEFT", "POLY_AGENT_TRIGGERED_HANDOFF",
                "LIVE_AGENT_JOINED", "LIVE_AGENT_TYPING", "LIVE_AGENT_MESSAGE", "LIVE_AGENT_LEFT",
                "HANDOFF_ACCEPTED", "HANDOFF_QUEUE_STATUS", "CLIENT_HANDOFF_REQUIRED", "HANDOFF_FAILED",
                "HANDOFF_TIMEOUT",
                "SESSION_START", "SESSION_END", "SYSTEM_MESSAGE", "LANGUAGE_CHANGED", "SESSION_IDLE_WARNING", "EVENT_BATCH")
                .map(name -> "EVENT_TYPE_" + name);
    }

    @ParameterizedTest(name = "{0} is not allowed from a client")
    @MethodSource("serverOnlyTypes")
    void aServerOnlyTypeIsRefusedAsNotAllowed(String type) {
        JsonNode error = rejectedInJoinedSession("{\"type\":\"" + type
                + "\",\"payload\":{\"text\":\"spoofed\",\"reason\":\"REASON_USER_END\",\"events\":[]},\"metadata\":"
                + METADATA + "}");
        assertError(error, "Event type not allowed: " + type, type);
        assertMetadataEchoed(error);
    }

    @Test
    void aPayloadThatIsNotAnObjectIsRejected() {
        JsonNode error = rejectedInJoinedSession(
                "{\"type\":\"EVENT_TYPE_REQUEST_POLY_AGENT_JOIN\",\"payload\":[],\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "payload");
        assertMetadataEchoed(error);
    }

    @Test
    void metadataThatIsNotAnObjectIsRejected() {
        JsonNode error = rejectedInJoinedSession(
                "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hi\"},\"metadata\":\"tag\"}");
        assertError(error, INVALID, "metadata");
        assertNoMetadata(error);
    }

    @Test
    void aBinaryFrameIsRejectedAsInvalidFormat() {
        try (WsClient ws = joinedSession()) {
            List<String> before = storedHistory(ws);
            ws.sendBinary("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hi\"}}"
                    .getBytes(StandardCharsets.UTF_8));
            JsonNode error = ws.next("EVENT_TYPE_SYSTEM_MESSAGE");
            assertError(error, INVALID, "binary");
            assertNoMetadata(error);
            ws.assertNoMoreEvents();
            assertThat(storedHistory(ws)).isEqualTo(before);
        }
    }

    // ---- invalid user messages and typing ------------------------------------------------------

    @Test
    void aUserMessageWithoutTextIsRejected() {
        JsonNode error = rejectedInJoinedSession(
                "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{},\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "payload.text");
        assertMetadataEchoed(error);
    }

    @Test
    void aUserMessageWithoutPayloadIsRejected() {
        JsonNode error = rejectedInJoinedSession("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "payload.text");
        assertMetadataEchoed(error);
    }

    @ParameterizedTest(name = "text {0} is rejected")
    @ValueSource(strings = {"42", "true", "{\"t\":\"hi\"}", "[\"hi\"]"})
    void aUserMessageWhoseTextIsNotAStringIsRejected(String text) {
        JsonNode error = rejectedInJoinedSession("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":" + text
                + "},\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "string");
        assertMetadataEchoed(error);
    }

    @ParameterizedTest(name = "text \"{0}\" is rejected")
    @ValueSource(strings = {"", " ", " \t\n\r "})
    void anEmptyOrBlankUserMessageIsRejected(String text) {
        JsonNode error = rejectedInJoinedSession("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":"
                + Json.MAPPER.valueToTree(text) + "},\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "empty");
        assertMetadataEchoed(error);
    }

    @Test
    void aUserMessageOverTheTextLimitIsRejectedWhileOneAtTheLimitIsAccepted() {
        try (WsClient ws = joinedSession()) {
            List<String> before = storedHistory(ws);
            ws.send("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"" + "a".repeat(16001)
                    + "\"},\"metadata\":" + METADATA + "}");
            JsonNode error = ws.next("EVENT_TYPE_SYSTEM_MESSAGE");
            assertError(error, INVALID, "16000");
            assertMetadataEchoed(error);
            ws.assertNoMoreEvents();
            assertThat(storedHistory(ws)).isEqualTo(before);

            ws.say("b".repeat(16000), "at-limit");
            JsonNode echo = ws.next("EVENT_TYPE_USER_MESSAGE");
            assertThat(echo.path("payload").path("text").asText()).hasSize(16000);
            assertThat(echo.path("sequence").asLong()).isEqualTo(lastSequence(before) + 1);
        }
    }

    @ParameterizedTest(name = "typing payload {0} is rejected")
    @ValueSource(strings = {"{\"state\":\"TYPING_STATE_MAYBE\"}", "{\"state\":1}", "{}", "{\"state\":null}"})
    void userTypingWithABadStateIsRejected(String payload) {
        JsonNode error = rejectedInJoinedSession(
                "{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":" + payload + ",\"metadata\":" + METADATA + "}");
        assertError(error, INVALID, "state");
        assertMetadataEchoed(error);
    }

    // ---- session-state errors ----------------------------------------------------------------

    @Test
    void aUserMessageBeforeTheAgentJoinedGetsConversationNotFoundAndNoEcho() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            List<String> before = storedHistory(ws);
            ws.send("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hello?\"},\"metadata\":" + METADATA + "}");
            JsonNode error = ws.next();
            assertThat(error.path("type").asText()).as("no echo before the error: %s", error)
                    .isEqualTo("EVENT_TYPE_SYSTEM_MESSAGE");
            assertThat(error.path("payload").path("level").asText()).isEqualTo("SYSTEM_MESSAGE_LEVEL_ERROR");
            assertThat(error.path("payload").path("message").asText()).isEqualTo("Error: Conversation not found");
            assertThat(error.path("sequence").isNull()).isTrue();
            assertMetadataEchoed(error);
            ws.assertNoMoreEvents();
            assertThat(storedHistory(ws)).isEqualTo(before);
        }
    }

    // ---- oversized frames (§13.11: we close with 1009) ------------------------------------------

    @Test
    void aFrameOfExactly128KbIsStillAccepted() {
        try (WsClient ws = joinedSession()) {
            ws.send(paddedHeartbeat(MAX_FRAME_BYTES));
            assertThat(ws.next("EVENT_TYPE_HEARTBEAT").path("sequence").isNull()).isTrue();
            ws.assertNoMoreEvents();
        }
    }

    @Test
    void aFrameOver128KbClosesTheSocketWith1009AndTheSessionStaysUsable() {
        WsClient ws = joinedSession();
        List<String> before = storedHistory(ws);
        String oversized = "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"big\"},\"pad\":\"";
        oversized = oversized + "x".repeat(MAX_FRAME_BYTES + 1 - oversized.length() - 2) + "\"}";
        assertThat(oversized.getBytes(StandardCharsets.UTF_8)).hasSize(MAX_FRAME_BYTES + 1);
        ws.send(oversized);
        assertThat(ws.awaitClose()).isEqualTo(1009);
        ws.close();

        try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
            assertThat(ids(again.replay())).as("nothing stored from the oversized frame").isEqualTo(before);
            again.say("still there?", "after-1009");
            JsonNode echo = again.next("EVENT_TYPE_USER_MESSAGE");
            assertThat(echo.path("sequence").asLong()).isEqualTo(lastSequence(before) + 1);
            again.next("EVENT_TYPE_POLY_AGENT_THINKING");
            again.next("EVENT_TYPE_POLY_AGENT_MESSAGE");
            again.assertNoMoreEvents();
        }
    }

    // ---- ended sessions (§13.9) --------------------------------------------------------------

    @Test
    void afterSessionEndTheSocketClosesWith1000SoNothingMoreCanBeSent() {
        try (WsClient ws = joinedSession()) {
            ws.sendType("EVENT_TYPE_USER_END_SESSION");
            ws.next("EVENT_TYPE_USER_END_SESSION");
            ws.next("EVENT_TYPE_SESSION_END");
            assertThat(ws.awaitClose()).isEqualTo(1000);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> ws.say("one more thing", "too-late")).isNotNull());

            try (WsClient again = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
                List<JsonNode> replay = again.replay();
                assertThat(replay.get(replay.size() - 1).path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_END");
                assertThat(replay).noneMatch(e -> e.path("payload").path("text").asText().equals("one more thing"));
                assertThat(again.awaitClose()).isEqualTo(1000);
            }
        }
    }

    @Test
    void reconnectingToAnEndedSessionReplaysItsHistoryIncludingSessionEndThenCloses1000() {
        String sessionId;
        String token;
        try (WsClient ws = joinedSession()) {
            sessionId = ws.sessionId();
            token = ws.accessToken();
            ws.say("hello", "c-1");
            ws.next("EVENT_TYPE_USER_MESSAGE");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE");
            ws.sendType("EVENT_TYPE_USER_END_SESSION");
            ws.next("EVENT_TYPE_USER_END_SESSION");
            ws.next("EVENT_TYPE_SESSION_END");
            assertThat(ws.awaitClose()).isEqualTo(1000);
        }
        try (WsClient again = WsClient.connect(server.baseUrl(), sessionId, token, "0")) {
            List<JsonNode> replay = again.replay();
            assertThat(replay).extracting(e -> e.path("type").asText()).containsExactly(
                    "EVENT_TYPE_SESSION_START", "EVENT_TYPE_REQUEST_POLY_AGENT_JOIN", "EVENT_TYPE_POLY_AGENT_JOINED",
                    "EVENT_TYPE_POLY_AGENT_MESSAGE", "EVENT_TYPE_USER_MESSAGE", "EVENT_TYPE_POLY_AGENT_MESSAGE",
                    "EVENT_TYPE_USER_END_SESSION", "EVENT_TYPE_SESSION_END");
            assertThat(replay).extracting(e -> e.path("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(replay.get(7).path("payload").path("reason").asText()).isEqualTo("REASON_USER_END");
            assertThat(again.awaitClose()).isEqualTo(1000);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** A new session with the agent joined and greeted, so a wrongly accepted message would be stored. */
    private static WsClient joinedSession() {
        WsClient ws = server.newSession(false);
        ws.replay();
        ws.join();
        ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
        ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
        ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
        ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE");
        return ws;
    }

    /**
     * Sends {@code frame} in a joined session; requires exactly one answer, an error, then proves the
     * socket is still open (a heartbeat is echoed next) and the journal did not change.
     */
    private static JsonNode rejectedInJoinedSession(String frame) {
        try (WsClient ws = joinedSession()) {
            List<String> before = storedHistory(ws);
            ws.send(frame);
            JsonNode error = ws.next("EVENT_TYPE_SYSTEM_MESSAGE");
            ws.assertNoMoreEvents();
            assertThat(ws.isClosed()).isFalse();
            assertThat(storedHistory(ws)).as("journal after %s", frame).isEqualTo(before);
            return error;
        }
    }

    /** The stored history as "sequence id type", read through a second connection with cursor 0. */
    private static List<String> storedHistory(WsClient ws) {
        try (WsClient reader = WsClient.connect(server.baseUrl(), ws.sessionId(), ws.accessToken(), "0")) {
            return ids(reader.replay());
        }
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream()
                .map(e -> e.path("sequence").asLong() + " " + e.path("id").asText() + " " + e.path("type").asText())
                .collect(Collectors.toList());
    }

    private static long lastSequence(List<String> history) {
        String last = history.get(history.size() - 1);
        return Long.parseLong(last.substring(0, last.indexOf(' ')));
    }

    private static void assertError(JsonNode event, String message, String detailMentions) {
        assertThat(event.path("type").asText()).isEqualTo("EVENT_TYPE_SYSTEM_MESSAGE");
        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(event.path("timestamp").asText()).isNotBlank();
        assertThat(event.has("sequence")).as("sequence present in %s", event).isTrue();
        assertThat(event.get("sequence").isNull()).as("sequence of %s", event).isTrue();
        JsonNode payload = event.path("payload");
        assertThat(payload.path("level").asText()).isEqualTo("SYSTEM_MESSAGE_LEVEL_ERROR");
        assertThat(payload.path("message").asText()).isEqualTo(message);
        assertThat(payload.path("detail").asText()).as("detail of %s", event).containsIgnoringCase(detailMentions);
    }

    private static void assertMetadataEchoed(JsonNode event) {
        assertThat(event.path("metadata")).isEqualTo(tree(METADATA));
    }

    private static void assertNoMetadata(JsonNode event) {
        assertThat(event.path("metadata").isMissingNode() || event.path("metadata").isNull())
                .as("metadata of %s", event).isTrue();
    }

    private static String paddedHeartbeat(int bytes) {
        String head = "{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"pad\":\"";
        String frame = head + "x".repeat(bytes - head.length() - 2) + "\"}";
        assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return frame;
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
