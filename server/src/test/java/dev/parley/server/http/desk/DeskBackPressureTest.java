package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 for the desk socket: the frames of a followed conversation (bursts of live events, a
 * long history replayed to a desk that opens it), all written from session threads, reach the
 * desk, which stays open. A burst is not a slow consumer. Real node, real sockets.
 */
class DeskBackPressureTest {
    /** Within the session's queue of 256 waiting client frames. */
    private static final int WAVE = 200;

    @TempDir
    Path dir;
    DeskTestNode node;
    DeskClient sarah;
    WsClient user;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir, DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS), null, List.of(),
                Clock.systemUTC(), c -> c.withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate()));
        sarah = node.connectDesk(node.desk().token("Sarah", DeskTestNode.PASSWORD));
        assertThat(sarah.next().path("type").asText()).isEqualTo("desk.snapshot");
        handOffToSarah();
    }

    @AfterEach
    void stop() {
        user.close();
        sarah.close();
        node.close();
    }

    @Test
    void aBurstOfLiveEventsInAFollowedConversationAllReachTheDesk() {
        int burst = 3 * WAVE;
        sendInWaves(burst);
        assertThat(userMessagesUntil(sarah, "burst " + (burst - 1))).isEqualTo(texts(burst));
        assertStillServed(sarah);
    }

    @Test
    void aDeskOpeningAConversationWithALongHistoryReceivesAllOfItAndStaysOpen() {
        // 2,200 messages and more: 23 history batches, all queued for the new desk socket at once.
        int history = 11 * WAVE;
        sendInWaves(history);
        try (DeskClient second = node.connectDesk(node.desk().token("Sarah", DeskTestNode.PASSWORD))) {
            assertThat(second.next("desk.assigned").path("conversation").path("session_id").asText())
                    .isEqualTo(user.sessionId());
            assertThat(userMessagesUntil(second, "burst " + (history - 1))).isEqualTo(texts(history));
            assertStillServed(second);
        }
    }

    /** The demo flow's handoff: the user asks for a human, Sarah is assigned the conversation. */
    private void handOffToSarah() {
        user = node.newSession();
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        JsonNode assigned = sarah.next("desk.assigned");
        assertThat(assigned.path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
    }

    /**
     * The user sends "burst 0", "burst 1"... in waves sent without waiting; the session stores
     * each and fans it out to the desk from its own threads, frames arriving far faster than one
     * at a time.
     */
    private void sendInWaves(int count) {
        for (int from = 0; from < count; from += WAVE) {
            for (int i = from; i < Math.min(count, from + WAVE); i++) {
                user.say("burst " + i, "b" + i);
            }
            String last = "burst " + (Math.min(count, from + WAVE) - 1);
            Frames.readUntil(user, f -> f.path("payload").path("text").asText().equals(last));
        }
    }

    /** The "burst" user messages a desk received (live or in history batches), up to {@code last}. */
    private static List<String> userMessagesUntil(DeskClient desk, String last) {
        List<String> texts = new ArrayList<>();
        while (texts.isEmpty() || !texts.get(texts.size() - 1).equals(last)) {
            List<JsonNode> events = Frames.flatten(List.of(desk.next("desk.event").path("event")));
            for (JsonNode e : Frames.ofType(events, "EVENT_TYPE_USER_MESSAGE")) {
                String text = e.path("payload").path("text").asText();
                if (text.startsWith("burst ")) {
                    texts.add(text);
                }
            }
        }
        return texts;
    }

    private static List<String> texts(int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add("burst " + i);
        }
        return texts;
    }

    /** The desk socket is open and Sarah still talks to the user through it. */
    private void assertStillServed(DeskClient desk) {
        assertThat(desk.isClosed()).isFalse();
        desk.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "Still here."));
        assertThat(user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE").path("payload").path("text").asText())
                .isEqualTo("Still here.");
        assertThat(desk.next(m -> m.path("type").asText().equals("desk.event")
                && m.path("event").path("type").asText().equals("EVENT_TYPE_LIVE_AGENT_MESSAGE"))
                .path("event").path("payload").path("text").asText()).isEqualTo("Still here.");
        assertThat(desk.isClosed()).isFalse();
    }
}
