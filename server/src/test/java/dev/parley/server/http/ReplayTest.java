package dev.parley.server.http;

import static dev.parley.server.testing.Frames.BATCH;
import static dev.parley.server.testing.Frames.flatten;
import static dev.parley.server.testing.Frames.ids;
import static dev.parley.server.testing.Frames.isStored;
import static dev.parley.server.testing.Frames.ofType;
import static dev.parley.server.testing.Frames.sequence;
import static dev.parley.server.testing.Frames.sequences;
import static dev.parley.server.testing.Frames.stored;
import static dev.parley.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Limits;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reconnecting (PROTOCOL.md §3.4, §3.6, §6.4 EVENT_BATCH, §13.1–13.4) over real sockets: whatever
 * the cursor and whenever the socket drops, a client that dedupes by id ends up with every stored
 * event exactly once, in sequence order ("no gap, no double").
 */
@ParleyTest(config = "fastSessionRates")
@BothStores
class ReplayTest {
    private static final String TIMESTAMP = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$";

    static TestServer server;

    static ParleyConfig fastSessionRates(ParleyConfig c) {
        return c.withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate());
    }

    /** A socket and everything it received so far, batches flattened, transient frames included. */
    private record Seen(WsClient ws, List<JsonNode> events) {
        List<JsonNode> storedEvents() {
            return stored(events);
        }

        long head() {
            List<JsonNode> s = storedEvents();
            return sequence(s.get(s.size() - 1));
        }
    }

    /** New session: replay, join and greeting, one question and its answer (stored 1..6). */
    private static Seen shortConversation() {
        WsClient ws = server.newSession(false);
        List<JsonNode> events = new ArrayList<>(ws.replay());
        ws.join();
        events.addAll(Frames.readUntilAgentReply(ws));
        ws.say("What are your opening hours?", "q-1");
        events.addAll(Frames.readUntilAgentReply(ws));
        events.addAll(ws.drain());
        return new Seen(ws, events);
    }

    /** Connects and reads the whole replay plus anything live that came before a probe. */
    private static List<JsonNode> connectAndRead(Seen seen, String cursor) {
        try (WsClient again = seen.ws().reconnect(server.baseUrl(), cursor)) {
            List<JsonNode> frames = new ArrayList<>();
            frames.add(again.next(BATCH));
            frames.addAll(again.drain());
            return frames;
        }
    }

    private static List<JsonNode> batches(List<JsonNode> frames) {
        return frames.stream().filter(f -> type(f).equals(BATCH)).toList();
    }

    @ParameterizedTest(name = "cursor={0}")
    @ValueSource(strings = {"<absent>", "0"})
    void withoutACursorOrWithZeroTheWholeHistoryIsReplayedStartingWithSessionStart(String cursor) {
        Seen seen = shortConversation();
        List<JsonNode> frames = connectAndRead(seen, cursor.equals("<absent>") ? null : cursor);

        assertThat(frames).allSatisfy(f -> assertThat(type(f)).isEqualTo(BATCH));
        JsonNode first = frames.get(0).path("payload").path("events").get(0);
        assertThat(type(first)).isEqualTo("EVENT_TYPE_SESSION_START");
        assertThat(sequence(first)).isEqualTo(1);
        assertThat(flatten(frames)).containsExactlyElementsOf(seen.storedEvents());
        seen.ws().close();
    }

    @ParameterizedTest(name = "cursor={0}")
    @ValueSource(strings = {"3", "seq:3"})
    void aNumericOrSeqPrefixedCursorReplaysExactlyTheEventsAfterIt(String cursor) {
        Seen seen = shortConversation();
        List<JsonNode> replayed = flatten(connectAndRead(seen, cursor));

        List<JsonNode> expected = seen.storedEvents().stream().filter(e -> sequence(e) > 3).toList();
        assertThat(expected).hasSize(3);
        assertThat(replayed).containsExactlyElementsOf(expected);
        seen.ws().close();
    }

    @ParameterizedTest(name = "cursor={0}")
    @ValueSource(strings = {"abc", "-5", "seq:", "seq:x", "1.5"})
    void anUnreadableCursorFallsBackToTheFullHistoryAndTheConnectionStaysUsable(String cursor) {
        Seen seen = shortConversation();
        try (WsClient again = seen.ws().reconnect(server.baseUrl(), cursor)) {
            List<JsonNode> frames = new ArrayList<>();
            frames.add(again.next(BATCH));
            frames.addAll(again.drain());
            assertThat(flatten(frames)).containsExactlyElementsOf(seen.storedEvents());

            again.say("Show me the menu");
            JsonNode echo = again.next("EVENT_TYPE_USER_MESSAGE");
            assertThat(sequence(echo)).isEqualTo(seen.head() + 1);
            again.next("EVENT_TYPE_POLY_AGENT_THINKING");
            assertThat(sequence(again.next("EVENT_TYPE_POLY_AGENT_MESSAGE"))).isEqualTo(seen.head() + 2);
        }
        seen.ws().close();
    }

    @Test
    void aCursorBeyondTheHeadGetsExactlyOneEmptyBatchThenLiveEventsContinue() {
        Seen seen = shortConversation();
        try (WsClient again = seen.ws().reconnect(server.baseUrl(), String.valueOf(seen.head() + 100))) {
            JsonNode batch = again.next(BATCH);
            assertThat(batch.path("payload").path("events").isArray()).isTrue();
            assertThat(batch.path("payload").path("events")).isEmpty();
            again.assertNoMoreEvents();

            again.say("How much does it cost?");
            assertThat(sequence(again.next("EVENT_TYPE_USER_MESSAGE"))).isEqualTo(seen.head() + 1);
            again.next("EVENT_TYPE_POLY_AGENT_THINKING");
            assertThat(sequence(again.next("EVENT_TYPE_POLY_AGENT_MESSAGE"))).isEqualTo(seen.head() + 2);
        }
        seen.ws().close();
    }

    @Test
    void eventsProducedWhileASocketWasDownArriveExactlyOnceAfterReconnectingWithTheLastSeenSequence() {
        Seen seen = shortConversation();
        WsClient dropped = seen.ws();
        try (WsClient other = dropped.reconnect(server.baseUrl(), String.valueOf(seen.head()))) {
            other.next(BATCH);
            dropped.abort();

            // The conversation goes on from another socket while the first one is gone...
            other.say("Book a table", "b-1");
            List<JsonNode> meanwhile = new ArrayList<>(Frames.readUntilAgentReply(other));
            // ...and keeps going while it reconnects: replay and live delivery overlap in time.
            for (int i = 0; i < 8; i++) {
                other.say("Show me the menu " + i, "m-" + i);
            }
            try (WsClient back = dropped.reconnect(server.baseUrl(), String.valueOf(seen.head()))) {
                List<JsonNode> received = new ArrayList<>();
                received.add(back.next(BATCH));
                while (ofType(flatten(received), "EVENT_TYPE_POLY_AGENT_MESSAGE").size() < 9) {
                    received.add(back.next());
                }
                received.addAll(back.drain());
                List<JsonNode> got = stored(flatten(received));

                for (int i = 0; i < 8; i++) {
                    meanwhile.addAll(Frames.readUntilAgentReply(other));
                }
                meanwhile.addAll(other.drain());
                List<JsonNode> expected = stored(meanwhile);

                assertThat(expected).hasSize(18);
                assertThat(sequences(got)).containsExactlyElementsOf(
                        LongStream.rangeClosed(seen.head() + 1, seen.head() + 18).boxed().toList());
                assertThat(got).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aStreamDroppedAfterItsFirstChunkIsCompletedByReplayAndLiveChunksWithoutGapsOrDoubles(@TempDir Path own) {
        try (TestServer slow = TestServer.start(own, c -> c.withStreamChunkDelay(Duration.ofMillis(20)));
             WsClient ws = slow.newSession(true)) {
            ws.replay();
            ws.join();
            ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
            ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
            ws.next("EVENT_TYPE_POLY_AGENT_THINKING");
            JsonNode first = ws.next("EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK");
            assertThat(first.path("payload").path("chunk_index").asInt()).isEqualTo(1);
            assertThat(first.path("payload").path("is_complete").asBoolean()).isFalse();
            ws.abort();

            try (WsClient back = ws.reconnect(slow.baseUrl(), String.valueOf(sequence(first)))) {
                List<JsonNode> received = new ArrayList<>();
                received.add(back.next(BATCH));
                while (flatten(received).stream().noneMatch(Frames::isAgentReplyEnd)) {
                    received.add(back.next());
                }
                received.addAll(back.drain());

                List<JsonNode> chunks = new ArrayList<>(List.of(first));
                chunks.addAll(ofType(flatten(received), "EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK"));
                assertThat(chunks.size()).isGreaterThan(2);
                assertThat(ids(chunks)).doesNotHaveDuplicates();
                assertThat(chunks).extracting(c -> c.path("payload").path("chunk_index").asInt())
                        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, chunks.size()).boxed().toList());
                assertThat(chunks).extracting(c -> c.path("payload").path("message_id").asText()).containsOnly(
                        first.path("payload").path("message_id").asText());
                assertThat(chunks).filteredOn(c -> c.path("payload").path("is_complete").asBoolean())
                        .containsExactly(chunks.get(chunks.size() - 1));
                assertThat(sequences(chunks)).containsExactlyElementsOf(
                        LongStream.range(sequence(first), sequence(first) + chunks.size()).boxed().toList());
                StringBuilder text = new StringBuilder();
                chunks.forEach(c -> text.append(c.path("payload").path("text").asText()));
                assertThat(text.toString()).startsWith("Hi, I'm Ada");
            }
        }
    }

    @Test
    void aStaleCursorOnlyRepeatsEventsAlreadySeenSoDedupingByIdYieldsTheFullHistory() {
        Seen seen = shortConversation();
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        seen.storedEvents().forEach(e -> byId.put(e.get("id").asText(), e));

        List<JsonNode> replayed = flatten(connectAndRead(seen, "2"));
        assertThat(replayed).isNotEmpty();
        for (JsonNode event : replayed) {
            assertThat(byId).containsKey(event.get("id").asText());
            assertThat(event).isEqualTo(byId.get(event.get("id").asText()));
            byId.putIfAbsent(event.get("id").asText(), event);
        }
        List<JsonNode> union = byId.values().stream().sorted((a, b) -> Long.compare(sequence(a), sequence(b))).toList();
        assertThat(sequences(union)).containsExactlyElementsOf(LongStream.rangeClosed(1, seen.head()).boxed().toList());
        seen.ws().close();
    }

    @Test
    void aLongHistoryIsReplayedInOrderAsSeveralBatchesOfAtMostOneHundredEvents() {
        try (WsClient ws = server.newSession(false)) {
            List<JsonNode> live = new ArrayList<>(ws.replay());
            ws.join();
            live.addAll(Frames.readUntilAgentReply(ws));
            for (int i = 0; i < 65; i++) {
                ws.say("hello number " + i);
                live.addAll(Frames.readUntilAgentReply(ws));
            }
            List<JsonNode> history = stored(live);
            assertThat(history).hasSizeGreaterThanOrEqualTo(134);

            try (WsClient again = ws.reconnect(server.baseUrl(), "0")) {
                List<JsonNode> frames = new ArrayList<>();
                frames.add(again.next(BATCH));
                frames.addAll(again.drain());
                assertThat(frames).allSatisfy(f -> assertThat(type(f)).isEqualTo(BATCH));
                assertThat(frames.size()).isGreaterThanOrEqualTo(2);
                for (JsonNode batch : frames) {
                    assertThat(batch.path("payload").path("events").size()).isBetween(1, Limits.MAX_EVENTS_PER_BATCH);
                    assertThat(again.rawUtf8Bytes(batch)).isLessThan(Limits.MAX_MESSAGE_SIZE_BYTES);
                }
                assertThat(flatten(frames)).containsExactlyElementsOf(history);
            }
        }
    }

    @Test
    void largeEventsAreSplitSoThatEveryBatchFrameStaysBelow128KilobytesInUtf8() {
        // 2,750 characters of mostly multi-byte text: over 8 KB per echo, so the byte limit
        // (not the event count) forces the split.
        String big = "日本語のテキスト€é😀".repeat(250);
        try (WsClient ws = server.newSession(false)) {
            List<JsonNode> live = new ArrayList<>(ws.replay());
            ws.join();
            live.addAll(Frames.readUntilAgentReply(ws));
            for (int i = 0; i < 40; i++) {
                ws.say(big + i);
                live.addAll(Frames.readUntilAgentReply(ws));
            }
            List<JsonNode> history = stored(live);

            try (WsClient again = ws.reconnect(server.baseUrl(), null)) {
                List<JsonNode> frames = new ArrayList<>();
                frames.add(again.next(BATCH));
                frames.addAll(again.drain());
                assertThat(frames).allSatisfy(f -> assertThat(type(f)).isEqualTo(BATCH));
                assertThat(frames.size()).isGreaterThanOrEqualTo(3);
                for (JsonNode batch : frames) {
                    assertThat(again.rawUtf8Bytes(batch)).isLessThan(Limits.MAX_MESSAGE_SIZE_BYTES);
                    assertThat(batch.path("payload").path("events")).isNotEmpty();
                }
                assertThat(flatten(frames)).containsExactlyElementsOf(history);
            }
        }
    }

    @Test
    void replayedEventsAreExactlyTheTextThatWasDeliveredLive() {
        Seen seen = shortConversation();
        try (WsClient again = seen.ws().reconnect(server.baseUrl(), "1")) {
            JsonNode batch = again.next(BATCH);
            String batchText = again.raw(batch);
            List<JsonNode> liveStored = seen.storedEvents().stream().filter(e -> sequence(e) > 1).toList();
            assertThat(liveStored).hasSize(5);
            for (JsonNode event : liveStored) {
                assertThat(batchText).contains(seen.ws().raw(event));
            }
            assertThat(flatten(List.of(batch))).containsExactlyElementsOf(liveStored);
            again.assertNoMoreEvents();
        }
        seen.ws().close();
    }

    @Test
    void everyBatchHasItsOwnFreshIdANullSequenceAndATimestamp() {
        Seen seen = shortConversation();
        Set<String> eventIds = new HashSet<>(ids(seen.events()));
        Set<String> batchIds = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            try (WsClient again = seen.ws().reconnect(server.baseUrl(), "0")) {
                JsonNode batch = again.next(BATCH);
                assertThat(batch.has("sequence")).isTrue();
                assertThat(batch.get("sequence").isNull()).isTrue();
                assertThat(batch.path("timestamp").asText()).matches(TIMESTAMP);
                assertThat(batch.path("id").asText()).isNotBlank();
                assertThat(eventIds).doesNotContain(batch.path("id").asText());
                assertThat(batchIds.add(batch.path("id").asText())).as("batch id is fresh on every connect").isTrue();
                assertThat(batch.has("metadata")).isFalse();
            }
        }
        seen.ws().close();
    }

    @Test
    void transientEventsAreNeverReplayed() {
        Seen seen = shortConversation();
        WsClient ws = seen.ws();
        ws.send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"n\":1}}}");
        JsonNode heartbeat = ws.next("EVENT_TYPE_HEARTBEAT");
        List<JsonNode> transients = new ArrayList<>(seen.events().stream().filter(e -> !isStored(e)).toList());
        transients.add(heartbeat);
        assertThat(transients).extracting(Frames::type)
                .contains("EVENT_TYPE_POLY_AGENT_THINKING", "EVENT_TYPE_HEARTBEAT");

        List<JsonNode> replayed = flatten(connectAndRead(seen, "0"));
        assertThat(replayed).allSatisfy(e -> assertThat(isStored(e)).as("stored: %s", e).isTrue());
        assertThat(replayed).extracting(Frames::type)
                .doesNotContain("EVENT_TYPE_POLY_AGENT_THINKING", "EVENT_TYPE_HEARTBEAT", BATCH);
        assertThat(ids(replayed)).doesNotContainAnyElementsOf(ids(transients));
        ws.close();
    }
}
