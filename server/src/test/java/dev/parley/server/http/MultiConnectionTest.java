package dev.parley.server.http;

import static dev.parley.server.testing.Frames.BATCH;
import static dev.parley.server.testing.Frames.flatten;
import static dev.parley.server.testing.Frames.ids;
import static dev.parley.server.testing.Frames.ofType;
import static dev.parley.server.testing.Frames.stored;
import static dev.parley.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several sockets on one session (PROTOCOL.md §13.21): every live event reaches all of them, in one order. */
@ParleyTest(config = "fastSessionRates")
@BothStores
class MultiConnectionTest {
    static TestServer server;

    static ParleyConfig fastSessionRates(ParleyConfig c) {
        return c.withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate());
    }

    /** Reads until {@code count} stored events arrived (batches flattened), then whatever precedes a probe. */
    private static List<JsonNode> readStored(WsClient ws, int count) {
        return readStored(ws, new ArrayList<>(), count);
    }

    private static List<JsonNode> readStored(WsClient ws, List<JsonNode> frames, int count) {
        while (stored(flatten(frames)).size() < count) {
            frames.add(ws.next());
        }
        frames.addAll(ws.drain());
        return flatten(frames);
    }

    @Test
    void threeConnectionsReceiveTheSameStoredEventsEchoesIncludedInTheSameOrder() {
        try (WsClient one = server.newSession(false);
             WsClient two = one.reconnect(server.baseUrl(), null);
             WsClient three = one.reconnect(server.baseUrl(), null)) {
            List<List<JsonNode>> seen = List.of(new ArrayList<>(one.replay()), new ArrayList<>(two.replay()),
                    new ArrayList<>(three.replay()));

            one.join();
            seen.get(0).addAll(Frames.readUntilAgentReply(one)); // joined before the others speak
            two.say("What are your opening hours?", "from-two");
            three.say("Show me the menu", "from-three");
            two.say("How much does it cost?", "from-two-again");
            // SESSION_START, join echo, joined, greeting, then three echoes and three answers.
            List<WsClient> all = List.of(one, two, three);
            for (int i = 0; i < 3; i++) {
                seen.get(i).addAll(readStored(all.get(i), 10 - stored(seen.get(i)).size()));
            }
            // Nothing stored beyond those: every agent answer has arrived everywhere.
            for (int i = 0; i < 3; i++) {
                assertThat(stored(seen.get(i))).hasSize(10);
            }

            List<String> reference = ids(stored(seen.get(0)));
            assertThat(ids(stored(seen.get(1)))).containsExactlyElementsOf(reference);
            assertThat(ids(stored(seen.get(2)))).containsExactlyElementsOf(reference);
            assertThat(stored(seen.get(1))).containsExactlyElementsOf(stored(seen.get(0)));
            assertThat(stored(seen.get(2))).containsExactlyElementsOf(stored(seen.get(0)));
            for (List<JsonNode> events : seen) {
                assertThat(ofType(events, "EVENT_TYPE_USER_MESSAGE"))
                        .extracting(e -> e.path("metadata").path("custom").path("client_event_id").asText())
                        .containsExactlyInAnyOrder("from-two", "from-three", "from-two-again");
                assertThat(ofType(events, "EVENT_TYPE_REQUEST_POLY_AGENT_JOIN")).hasSize(1);
            }
        }
    }

    @Test
    void aHeartbeatEchoGoesOnlyToTheConnectionThatSentIt() {
        try (WsClient one = server.newSession(false);
             WsClient two = one.reconnect(server.baseUrl(), null);
             WsClient three = one.reconnect(server.baseUrl(), null)) {
            one.replay();
            two.replay();
            three.replay();

            one.send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"from\":\"one\"}}}");
            JsonNode echo = one.next("EVENT_TYPE_HEARTBEAT");
            assertThat(echo.path("metadata").path("custom").path("from").asText()).isEqualTo("one");
            // Each probe is processed after one's heartbeat; a broadcast echo would come before the probe's.
            two.assertNoMoreEvents();
            three.assertNoMoreEvents();
            one.assertNoMoreEvents();
        }
    }

    @Test
    void aConnectionOpenedMidConversationSeesHistoryThenTheSameLiveEventsAsTheOthers() {
        try (WsClient one = server.newSession(false)) {
            List<JsonNode> first = new ArrayList<>(one.replay());
            one.join();
            first.addAll(Frames.readUntilAgentReply(one));
            for (int i = 0; i < 5; i++) {
                one.say("Book a table " + i);
            }
            try (WsClient late = one.reconnect(server.baseUrl(), "0")) {
                List<JsonNode> lateFrames = new ArrayList<>(List.of(late.next(BATCH)));
                for (int i = 0; i < 3; i++) {
                    one.say("Hello " + i);
                }
                // 4 before, then 8 echoes and 8 answers.
                first.addAll(readStored(one, 20 - 4));
                List<JsonNode> lateSeen = readStored(late, lateFrames, 20);
                assertThat(stored(first)).hasSize(20);
                assertThat(ids(stored(lateSeen))).doesNotHaveDuplicates();
                assertThat(stored(lateSeen)).containsExactlyElementsOf(stored(first));
                assertThat(lateSeen).filteredOn(e -> type(e).equals("EVENT_TYPE_HEARTBEAT")).isEmpty();
            }
        }
    }
}
