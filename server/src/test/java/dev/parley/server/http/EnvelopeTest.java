package dev.parley.server.http;

import static dev.parley.server.testing.Frames.BATCH;
import static dev.parley.server.testing.Frames.isStored;
import static dev.parley.server.testing.Frames.ofType;
import static dev.parley.server.testing.Frames.sequence;
import static dev.parley.server.testing.Frames.sequences;
import static dev.parley.server.testing.Frames.stored;
import static dev.parley.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The server event envelope (PROTOCOL.md §4.2, §4.3, §13.1, §13.2, §13.6, §13.23–13.25) as seen on the wire. */
@ParleyTest(config = "fastSessionRates")
@BothStores
class EnvelopeTest {
    private static final String TIMESTAMP = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$";
    /** Nested objects, arrays, escapes, non-ASCII text, numbers beyond a long and an exponent spelling, spaces. */
    private static final String METADATA = "{\"custom\": {\"client_event_id\":\"meta-1\",\"nested\":{\"list\":[1,"
            + "{\"deep\":[true,false,null]},\"x\"],\"empty\":{}},\"big\":12345678901234567890,\"price\":1.50e3,"
            + "\"neg\":-0.0,\"text\":\"h\u00e9llo \u2013 \u65e5\u672c \uD83D\uDE00 \\\"quoted\\\" \\u00e9 \\n\"}}";

    static TestServer server;

    static ParleyConfig fastSessionRates(ParleyConfig c) {
        return c.withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate());
    }

    private static void assertEnvelope(JsonNode event) {
        assertThat(event.isObject()).as("event %s", event).isTrue();
        UUID id = UUID.fromString(event.path("id").asText());
        assertThat(id.toString()).isEqualTo(event.path("id").asText());
        assertThat(id.version()).as("UUID version of %s", event).isEqualTo(7);
        assertThat(id.variant()).as("UUID variant (10xx) of %s", event).isEqualTo(2);
        assertThat(event.has("sequence")).as("sequence present in %s", event).isTrue();
        assertThat(event.get("sequence").isNull() || event.get("sequence").canConvertToLong()).isTrue();
        assertThat(event.path("timestamp").asText()).matches(TIMESTAMP);
        assertThat(event.path("type").asText()).startsWith("EVENT_TYPE_");
        assertThat(event.path("payload").isObject()).as("payload of %s", event).isTrue();
    }

    /** A full conversation: replay, join, a question, heartbeat, a bad frame, end. All frames, batches flattened. */
    private static List<JsonNode> fullConversation(WsClient ws, List<JsonNode> frames) {
        frames.add(ws.next(BATCH));
        ws.join();
        frames.addAll(Frames.readUntilAgentReply(ws));
        ws.say("When are you open?");
        frames.addAll(Frames.readUntilAgentReply(ws));
        ws.send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{}}");
        frames.add(ws.next("EVENT_TYPE_HEARTBEAT"));
        ws.send("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{}}");
        frames.add(ws.next("EVENT_TYPE_SYSTEM_MESSAGE"));
        ws.sendType("EVENT_TYPE_USER_END_SESSION");
        frames.add(ws.next("EVENT_TYPE_USER_END_SESSION"));
        frames.add(ws.next("EVENT_TYPE_SESSION_END"));
        ws.awaitClose();
        return Frames.flatten(frames);
    }

    @Test
    void everyServerEventHasAUuidV7IdAMillisecondUtcTimestampATypeAndAPayloadObject() {
        List<JsonNode> frames = new ArrayList<>();
        try (WsClient ws = server.newSession(false)) {
            List<JsonNode> events = fullConversation(ws, frames);
            assertThat(frames).allSatisfy(EnvelopeTest::assertEnvelope);
            assertThat(events).allSatisfy(EnvelopeTest::assertEnvelope);
            assertThat(Frames.ids(events)).doesNotHaveDuplicates();
        }
    }

    @Test
    void storedEventsAreNumberedContiguouslyFromOneAndTransientOnesHaveANullSequence() {
        try (WsClient ws = server.newSession(false)) {
            List<JsonNode> events = fullConversation(ws, new ArrayList<>());
            List<JsonNode> storedEvents = stored(events);
            assertThat(sequences(storedEvents)).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, storedEvents.size()).boxed().toList());
            assertThat(storedEvents).extracting(Frames::type).contains("EVENT_TYPE_SESSION_START",
                    "EVENT_TYPE_REQUEST_POLY_AGENT_JOIN", "EVENT_TYPE_POLY_AGENT_JOINED", "EVENT_TYPE_POLY_AGENT_MESSAGE",
                    "EVENT_TYPE_USER_MESSAGE", "EVENT_TYPE_USER_END_SESSION", "EVENT_TYPE_SESSION_END");
            List<JsonNode> transients = events.stream().filter(e -> !isStored(e)).toList();
            assertThat(transients).extracting(Frames::type)
                    .contains("EVENT_TYPE_POLY_AGENT_THINKING", "EVENT_TYPE_HEARTBEAT");
            assertThat(transients).allSatisfy(e -> assertThat(e.get("sequence").isNull()).isTrue());
        }
    }

    @Test
    void metadataIsEchoedVerbatimOnEveryEchoAndOnErrorsCausedByTheEvent() throws Exception {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            String joinMeta = METADATA.replace("meta-1", "meta-join");
            ws.sendWithMetadata("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN", "{}", joinMeta);
            List<JsonNode> joining = Frames.readUntilAgentReply(ws);
            assertThat(ws.raw(ofType(joining, "EVENT_TYPE_REQUEST_POLY_AGENT_JOIN").get(0))).contains(",\"metadata\":" + joinMeta);

            ws.sendWithMetadata("EVENT_TYPE_USER_MESSAGE", "{\"text\":\"Book a table\"}", METADATA);
            JsonNode echo = ws.next("EVENT_TYPE_USER_MESSAGE");
            assertThat(ws.raw(echo)).contains("\"metadata\":" + METADATA);
            JsonNode sent = Json.MAPPER.readTree(METADATA);
            assertThat(echo.get("metadata")).isEqualTo(sent);
            assertThat(echo.path("metadata").path("custom").path("big").bigIntegerValue())
                    .isEqualTo(new BigInteger("12345678901234567890"));
            Frames.readUntilAgentReply(ws);

            String heartbeatMeta = METADATA.replace("meta-1", "meta-hb");
            ws.sendWithMetadata("EVENT_TYPE_HEARTBEAT", "{}", heartbeatMeta);
            assertThat(ws.raw(ws.next("EVENT_TYPE_HEARTBEAT"))).contains("\"metadata\":" + heartbeatMeta);

            String badMeta = METADATA.replace("meta-1", "meta-bad");
            ws.sendWithMetadata("EVENT_TYPE_USER_MESSAGE", "{\"text\":42}", badMeta);
            JsonNode error = ws.next("EVENT_TYPE_SYSTEM_MESSAGE");
            assertThat(ws.raw(error)).contains("\"metadata\":" + badMeta);

            String endMeta = METADATA.replace("meta-1", "meta-end");
            ws.sendWithMetadata("EVENT_TYPE_USER_END_SESSION", "{}", endMeta);
            assertThat(ws.raw(ws.next("EVENT_TYPE_USER_END_SESSION"))).contains("\"metadata\":" + endMeta);
            assertThat(ws.next("EVENT_TYPE_SESSION_END").has("metadata")).isFalse();
        }
    }

    @Test
    void serverOriginatedEventsCarryNoMetadataEvenWhenTheTriggeringEventHadSome() {
        try (WsClient ws = server.newSession(false)) {
            List<JsonNode> all = new ArrayList<>(ws.replay());
            ws.sendWithMetadata("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN", "{}", METADATA.replace("meta-1", "m-j"));
            all.addAll(Frames.readUntilAgentReply(ws));
            ws.sendWithMetadata("EVENT_TYPE_USER_MESSAGE", "{\"text\":\"Opening hours\"}", METADATA);
            all.addAll(Frames.readUntilAgentReply(ws));
            ws.sendWithMetadata("EVENT_TYPE_USER_MESSAGE", "{\"text\":\"bye\"}", METADATA.replace("meta-1", "m-bye"));
            all.addAll(Frames.readUntil(ws, f -> type(f).equals("EVENT_TYPE_SESSION_END")));

            List<String> echoTypes = List.of("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN", "EVENT_TYPE_USER_MESSAGE");
            assertThat(all).filteredOn(e -> echoTypes.contains(type(e)))
                    .hasSize(3).allSatisfy(e -> assertThat(e.has("metadata")).isTrue());
            assertThat(all).filteredOn(e -> !echoTypes.contains(type(e)))
                    .extracting(Frames::type)
                    .contains("EVENT_TYPE_SESSION_START", "EVENT_TYPE_POLY_AGENT_JOINED", "EVENT_TYPE_POLY_AGENT_THINKING",
                            "EVENT_TYPE_POLY_AGENT_MESSAGE", "EVENT_TYPE_SESSION_END");
            assertThat(all).filteredOn(e -> !echoTypes.contains(type(e)))
                    .allSatisfy(e -> assertThat(e.has("metadata")).as("metadata on %s", e).isFalse());
        }
    }

    @Test
    void echoesOfEventsSentWithoutMetadataCarryNoMetadata() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            assertThat(ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN").has("metadata")).isFalse();
            Frames.readUntilAgentReply(ws);
            ws.say("Show me the menu");
            assertThat(ws.next("EVENT_TYPE_USER_MESSAGE").has("metadata")).isFalse();
            Frames.readUntilAgentReply(ws);
            ws.sendType("EVENT_TYPE_HEARTBEAT");
            assertThat(ws.next("EVENT_TYPE_HEARTBEAT").has("metadata")).isFalse();
        }
    }

    @Test
    void aUserMessageEchoCarriesItsTextAndAFreshServerAssignedMessageId() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            JsonNode greeting = ofType(Frames.readUntilAgentReply(ws), "EVENT_TYPE_POLY_AGENT_MESSAGE").get(0);
            ws.say("Opening hours, please");
            JsonNode first = ws.next("EVENT_TYPE_USER_MESSAGE");
            JsonNode reply = ofType(Frames.readUntilAgentReply(ws), "EVENT_TYPE_POLY_AGENT_MESSAGE").get(0);
            ws.say("Opening hours, please");
            JsonNode second = ws.next("EVENT_TYPE_USER_MESSAGE");

            assertThat(first.path("payload").path("text").asText()).isEqualTo("Opening hours, please");
            List<String> messageIds = List.of(greeting, first, reply, second).stream()
                    .map(e -> e.path("payload").path("message_id").asText()).toList();
            assertThat(messageIds).allSatisfy(m -> assertThat(m).matches("^msg_[A-Za-z0-9_-]+$")).doesNotHaveDuplicates();
        }
    }

    @Test
    void aHeartbeatEchoIsTransientGoesOnlyToTheSenderAndReturnsItsMetadata() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            String meta = "{\"custom\":{\"beat\":[1,2,3],\"at\":\"t0\"}}";
            ws.sendWithMetadata("EVENT_TYPE_HEARTBEAT", "{}", meta);
            JsonNode echo = ws.next("EVENT_TYPE_HEARTBEAT");
            assertEnvelope(echo);
            assertThat(echo.get("sequence").isNull()).isTrue();
            assertThat(ws.raw(echo)).contains("\"metadata\":" + meta);
            ws.assertNoMoreEvents();
            // Not journaled: the next stored event still follows SESSION_START.
            ws.join();
            assertThat(sequence(ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN"))).isEqualTo(2);
        }
    }

    @Test
    void userTypingIsNotEchoed() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STARTED\"},"
                    + "\"metadata\":{\"custom\":{\"client_event_id\":\"typing-1\"}}}");
            ws.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STOPPED\"}}");
            ws.assertNoMoreEvents();
            ws.join();
            assertThat(sequence(ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN"))).isEqualTo(2);
        }
    }

    @Test
    void aSecondJoinRequestIsEchoedButTheAgentDoesNotJoinOrGreetAgain() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            Frames.readUntilAgentReply(ws);
            ws.join();
            JsonNode echo = ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            assertThat(sequence(echo)).isEqualTo(5);
            List<JsonNode> after = ws.drain();
            assertThat(after).extracting(Frames::type).doesNotContain("EVENT_TYPE_POLY_AGENT_JOINED",
                    "EVENT_TYPE_POLY_AGENT_THINKING", "EVENT_TYPE_POLY_AGENT_MESSAGE");
            // At most an optional warning (§13.6), never anything stored.
            assertThat(after).allSatisfy(e -> {
                assertThat(type(e)).isEqualTo("EVENT_TYPE_SYSTEM_MESSAGE");
                assertThat(isStored(e)).isFalse();
            });
            ws.say("Hello");
            assertThat(sequence(ws.next("EVENT_TYPE_USER_MESSAGE"))).isEqualTo(6);
        }
    }
}
