package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.BusinessHours;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 end to end: a real node whose {@code support} queue keeps office hours, a user on a real
 * protocol WebSocket asking for a human on a Saturday, and the desk's offline list over real HTTP.
 */
class OutOfHoursHandoffTest {
    private static final BusinessHours OFFICE = new BusinessHours(ZoneId.of("Europe/London"),
            BusinessHours.weekly(Map.of("mon-fri", List.of("09:00-17:30"))), Set.of(), null);

    @TempDir
    Path dir;
    private DeskTestNode node;
    private WsClient user;

    @AfterEach
    void stop() {
        if (user != null) {
            user.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static DeskConfig desk() {
        return new DeskConfig(true, List.of(
                QueueSettings.auto("support", Duration.ofMinutes(10)).withHours(OFFICE),
                new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofMinutes(10), true)),
                Duration.ofSeconds(60), Duration.ofMinutes(5), null, null);
    }

    private void start(String now) {
        start(MutableClock.at(now));
    }

    private void start(MutableClock clock) {
        node = new DeskTestNode(dir.resolve("data"), desk(), null, List.of(), clock);
        user = node.newSession();
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
    }

    @Test
    void outsideHoursTheUserHearsWhenTheTeamIsBackAndTheLeftMessageReachesTheDesk() {
        start("2026-03-07T12:00:00Z"); // Saturday noon in London
        DeskClient sarah = node.connectAgent("Sarah"); // online, but the queue is closed
        assertThat(sarah.next().path("type").asText()).isEqualTo("desk.snapshot");

        user.say("I need a human");
        List<JsonNode> frames = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SYSTEM_MESSAGE"));

        List<String> types = frames.stream().map(Frames::type).toList();
        assertThat(types).containsSubsequence("EVENT_TYPE_POLY_AGENT_TRIGGERED_HANDOFF", "EVENT_TYPE_POLY_AGENT_LEFT",
                "EVENT_TYPE_HANDOFF_FAILED", "EVENT_TYPE_SYSTEM_MESSAGE");
        assertThat(types).doesNotContain("EVENT_TYPE_HANDOFF_ACCEPTED", "EVENT_TYPE_HANDOFF_QUEUE_STATUS");
        JsonNode failed = frames.get(types.indexOf("EVENT_TYPE_HANDOFF_FAILED")).path("payload");
        assertThat(failed.path("reason").asText()).isEqualTo("Our team is back Monday at 09:00 (Europe/London).");
        JsonNode info = frames.get(frames.size() - 1).path("payload");
        assertThat(info.path("level").asText()).isEqualTo("SYSTEM_MESSAGE_LEVEL_INFO");
        assertThat(info.path("message").asText()).isEqualTo("You can leave a message here and the team will get back to you.");
        assertThat(node.handoff(user.sessionId())).isEmpty(); // never waited in the queue

        user.say("Please call me back on 0123 456");
        assertThat(user.next("EVENT_TYPE_USER_MESSAGE").path("payload").path("text").asText()).isEqualTo("Please call me back on 0123 456");
        user.assertNoMoreEvents(); // nobody answers: no AI, no queue status

        String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        JsonNode list = DeskHttp.json(node.desk().call("GET", "/desk/api/offline", token, null)).path("offline");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("session_id").asText()).isEqualTo(user.sessionId());
        assertThat(list.get(0).path("queue").asText()).isEqualTo("support");
        List<String> left = new java.util.ArrayList<>();
        list.get(0).path("messages").forEach(m -> {
            if (m.path("left").asBoolean()) {
                left.add(m.path("text").asText());
            }
        });
        assertThat(left).containsExactly("Please call me back on 0123 456");
        assertThat(list.get(0).path("messages").toString()).contains("I need a human"); // the earlier talk, for context

        String tom = node.desk().token("Tom", DeskTestNode.PASSWORD); // sales only
        assertThat(DeskHttp.json(node.desk().call("GET", "/desk/api/offline", tom, null)).path("offline")).isEmpty();
        assertThat(node.desk().call("POST", "/desk/api/offline/" + user.sessionId() + "/handled", tom, null).statusCode())
                .isEqualTo(404);

        HttpResponse<String> handled = node.desk().call("POST", "/desk/api/offline/" + user.sessionId() + "/handled", token, null);
        assertThat(handled.statusCode()).isEqualTo(204);
        assertThat(DeskHttp.json(node.desk().call("GET", "/desk/api/offline", token, null)).path("offline")).isEmpty();
        sarah.close();
    }

    @Test
    void afterARestartTheSessionIsStillAnOfflineConversation() {
        MutableClock clock = MutableClock.at("2026-03-07T12:00:00Z");
        start(clock);
        user.say("I need a human");
        JsonNode info = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SYSTEM_MESSAGE"))
                .stream().reduce((a, b) -> b).orElseThrow();
        long cursor = Frames.sequence(info);
        user.close();
        node.close();

        node = new DeskTestNode(dir.resolve("data"), desk(), null, List.of(), clock); // rebuilt from the journal
        user = user.reconnect(node.baseUrl(), "seq:" + cursor);
        user.replay();
        user.say("Leaving this after the restart");

        assertThat(user.next("EVENT_TYPE_USER_MESSAGE").path("payload").path("text").asText())
                .isEqualTo("Leaving this after the restart");
        user.assertNoMoreEvents();
        String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        JsonNode messages = DeskHttp.json(node.desk().call("GET", "/desk/api/offline", token, null))
                .path("offline").get(0).path("messages");
        assertThat(messages.get(messages.size() - 1).path("text").asText()).isEqualTo("Leaving this after the restart");
        assertThat(messages.get(messages.size() - 1).path("left").asBoolean()).isTrue();
    }

    @Test
    void insideHoursTheHandoffQueuesAsBefore() {
        start("2026-03-06T10:00:00Z"); // Friday 10:00 in London

        user.say("I need a human");
        List<JsonNode> frames = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_HANDOFF_QUEUE_STATUS"));

        assertThat(frames.stream().map(Frames::type)).contains("EVENT_TYPE_HANDOFF_ACCEPTED")
                .doesNotContain("EVENT_TYPE_HANDOFF_FAILED");
        assertThat(node.handoff(user.sessionId())).isPresent();
        String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        assertThat(DeskHttp.json(node.desk().call("GET", "/desk/api/offline", token, null)).path("offline")).isEmpty();
    }
}
