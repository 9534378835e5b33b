package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Ids;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 for a desk following a conversation: its history reaches the desk paged with
 * back-pressure, like a user socket's replay, so a 20,000-event conversation (far more than one
 * socket may queue) arrives whole and in order and the desk socket stays open.
 */
@BothStores
class DeskObserverReplayTest {
    private static final int HISTORY = 20_000;
    /** 20,000 events of ~300 characters: about 7 MB, more than one socket may queue here. */
    private static final ParleyConfig.Outbound SMALL_SOCKET_CAP =
            new ParleyConfig.Outbound(Duration.ofSeconds(30), 256L << 20, 4L << 20);

    @TempDir
    Path dir;
    DeskTestNode node;
    DeskClient sarah;
    WsClient user;

    @AfterEach
    void stop() {
        if (user != null) {
            user.close();
        }
        if (sarah != null) {
            sarah.close();
        }
        node.close();
    }

    @Test
    void aDeskFollowingATwentyThousandEventConversationReceivesEveryEventInOrder() {
        node = new DeskTestNode(dir, DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS), null, List.of(),
                Clock.systemUTC(), c -> c.withOutbound(SMALL_SOCKET_CAP));
        sarah = node.connectDesk(node.desk().token("Sarah", DeskTestNode.PASSWORD));
        assertThat(sarah.next().path("type").asText()).isEqualTo("desk.snapshot");
        String token = node.rest().accessToken();
        String sessionId = node.rest().createSession(token, false);
        prefill(sessionId, HISTORY, 300);
        user = WsClient.connect(node.baseUrl(), sessionId, token, null);
        readReplay(user, HISTORY + 1);

        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);

        List<Long> sequences = new ArrayList<>();
        boolean sawLiveAgentJoined = false;
        while (!sawLiveAgentJoined) {
            for (JsonNode e : Frames.flatten(List.of(sarah.next("desk.event").path("event")))) {
                if (Frames.isStored(e)) {
                    sequences.add(Frames.sequence(e));
                }
                sawLiveAgentJoined |= Frames.type(e).equals("EVENT_TYPE_LIVE_AGENT_JOINED");
            }
        }
        assertThat(sequences.get(0)).isEqualTo(1);
        assertThat(sequences.size()).isGreaterThan(HISTORY + 1);
        for (int i = 1; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).as("event %d", i).isEqualTo(sequences.get(i - 1) + 1);
        }
        assertThat(sarah.isClosed()).isFalse();
    }

    /** Appends {@code count} stored system messages of about {@code chars} characters after SESSION_START. */
    private void prefill(String sessionId, int count, int chars) {
        String text = "x".repeat(chars);
        Instant now = Instant.now();
        try (NodeStore store = TestStores.open(dir)) {
            List<StoredEvent> batch = new ArrayList<>();
            for (long seq = 2; seq <= count + 1; seq++) {
                SystemMessage payload = SystemMessage.warning(text, "prefill " + seq);
                String id = Ids.eventId();
                String json = ServerEventEncoder.encode(new ServerEvent(id, seq, now, payload, null));
                batch.add(new StoredEvent(sessionId, seq, id, payload.type(), now, json, null));
                if (batch.size() == 1000) {
                    store.append(batch);
                    batch = new ArrayList<>();
                }
            }
            store.append(batch);
        }
    }

    private static void readReplay(WsClient ws, int expected) {
        int seen = 0;
        while (seen < expected) {
            seen += ws.next("EVENT_TYPE_EVENT_BATCH").path("payload").path("events").size();
        }
    }
}
