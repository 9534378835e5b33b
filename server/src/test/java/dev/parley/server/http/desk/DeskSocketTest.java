package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user asks for a human; Sarah takes the conversation on her desk socket. Real node, real sockets. */
@BothStores
class DeskSocketTest {
    @TempDir
    Path dir;
    DeskTestNode node;
    DeskClient sarah;
    WsClient user;
    /** The {@code desk.assigned} message of the last handoff. */
    JsonNode assigned;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir);
        sarah = node.connectDesk(node.desk().token("Sarah", DeskTestNode.PASSWORD));
        assertThat(sarah.next().path("type").asText()).isEqualTo("desk.snapshot");
    }

    @AfterEach
    void stop() {
        if (user != null) {
            user.close();
        }
        sarah.close();
        node.close();
    }

    /** The demo flow: greeting, "I need a human" → handoff to {@code support} → Sarah joins. */
    private String handOffToSarah() {
        user = node.newSession();
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        assigned = sarah.next("desk.assigned");
        assertThat(assigned.path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
        return user.sessionId();
    }

    @Test
    void assignedConversationArrivesWithItsHistoryAndTheAgentTalksToTheUser() {
        String sessionId = handOffToSarah();
        JsonNode conversation = assigned.path("conversation");
        assertThat(conversation.path("status").asText()).isEqualTo("ASSIGNED");
        assertThat(conversation.path("queue").asText()).isEqualTo("support");

        // the history, AI part included, then the live part
        List<JsonNode> seen = sarah.eventsUntil("EVENT_TYPE_LIVE_AGENT_JOINED");
        assertThat(Frames.ofType(seen, "EVENT_TYPE_USER_MESSAGE")).anyMatch(e ->
                e.path("payload").path("text").asText().equals("I need a human"));
        assertThat(Frames.ofType(seen, "EVENT_TYPE_POLY_AGENT_MESSAGE")).isNotEmpty();
        assertThat(Frames.ofType(seen, "EVENT_TYPE_HANDOFF_ACCEPTED")).isNotEmpty();

        sarah.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "Hi, I'm Sarah."));
        JsonNode message = user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE");
        assertThat(message.path("payload").path("text").asText()).isEqualTo("Hi, I'm Sarah.");
        assertThat(message.path("payload").path("agent_id").asText()).isEqualTo("agt_sarah");
        assertThat(Frames.isStored(message)).isTrue();
        assertThat(sarah.eventsUntil("EVENT_TYPE_LIVE_AGENT_MESSAGE")).isNotEmpty();

        user.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STARTED\"}}");
        JsonNode typing = sarah.next(m -> m.path("type").asText().equals("desk.event")
                && m.path("event").path("type").asText().equals("EVENT_TYPE_USER_TYPING"));
        assertThat(typing.path("session_id").asText()).isEqualTo(sessionId);
        assertThat(typing.path("event").path("payload").path("state").asText()).isEqualTo("TYPING_STATE_STARTED");

        sarah.send(DeskClient.command("desk.typing").put("session_id", sessionId).put("state", "TYPING_STATE_STARTED"));
        JsonNode agentTyping = user.next("EVENT_TYPE_LIVE_AGENT_TYPING");
        assertThat(agentTyping.get("sequence").isNull()).isTrue();
        assertThat(agentTyping.path("payload").path("state").asText()).isEqualTo("TYPING_STATE_STARTED");

        sarah.send(DeskClient.command("desk.end").put("session_id", sessionId));
        List<JsonNode> end = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
        assertThat(Frames.ofType(end, "EVENT_TYPE_LIVE_AGENT_LEFT")).hasSize(1);
        assertThat(end.get(end.size() - 1).path("payload").path("reason").asText()).isEqualTo("REASON_NATURAL_END");
        assertThat(sarah.next("desk.unassigned").path("session_id").asText()).isEqualTo(sessionId);
        assertThat(sarah.isClosed()).isFalse();
    }

    @Test
    void leaveGivesTheConversationBackToTheHeadOfItsQueueAndEndFinishesIt() {
        String sessionId = handOffToSarah();
        JsonNode conversation = assigned.path("conversation");
        assertThat(conversation.path("label").asText()).matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d\\d");
        assertThat(conversation.path("waited_seconds").isIntegralNumber()).isTrue();
        assertThat(conversation.path("customer").path("platform").asText()).isNotBlank();
        assertThat(conversation.path("created_at").asText()).isNotBlank();
        sarah.eventsUntil("EVENT_TYPE_LIVE_AGENT_JOINED");

        // Leave: the user waits again, first in line; no LIVE_AGENT_LEFT (it reads as the end), no SESSION_END.
        sarah.send(DeskClient.command("desk.leave").put("session_id", sessionId));
        JsonNode status = user.next("EVENT_TYPE_HANDOFF_QUEUE_STATUS");
        assertThat(status.path("payload").path("queue_name").asText()).isEqualTo("support");
        assertThat(status.path("payload").path("position_in_queue").asInt()).isEqualTo(1);
        assertThat(sarah.next("desk.unassigned").path("session_id").asText()).isEqualTo(sessionId);
        JsonNode waiting = sarah.next(m -> m.path("type").asText().equals("desk.snapshot")
                && m.path("queues").get(0).path("waiting").size() == 1);
        assertThat(waiting.path("mine")).isEmpty();
        assertThat(waiting.path("queues").get(0).path("waiting").get(0).path("label").asText())
                .isEqualTo(conversation.path("label").asText());
        // Not handed straight back to Sarah, although she is available and support is AUTO.
        user.assertNoMoreEvents();
        assertThat(node.handoff(sessionId).orElseThrow().status().name()).isEqualTo("WAITING");

        // She may take it back herself; then End finishes it for the user.
        sarah.send(DeskClient.command("desk.claim").put("session_id", sessionId));
        assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);
        user.next("EVENT_TYPE_LIVE_AGENT_JOINED");
        sarah.send(DeskClient.command("desk.end").put("session_id", sessionId));
        List<JsonNode> end = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
        assertThat(Frames.ofType(end, "EVENT_TYPE_LIVE_AGENT_LEFT")).hasSize(1);
        assertThat(end.get(end.size() - 1).path("payload").path("reason").asText()).isEqualTo("REASON_NATURAL_END");
        assertThat(sarah.next("desk.unassigned").path("session_id").asText()).isEqualTo(sessionId);
    }

    @Test
    void transcriptHasTheWholeStoredHistory() {
        String sessionId = handOffToSarah();
        String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        JsonNode transcript = DeskHttp.json(node.desk().call("GET",
                "/desk/api/conversations/" + sessionId + "/transcript", token, null));
        List<JsonNode> events = new java.util.ArrayList<>();
        transcript.path("events").forEach(events::add);
        assertThat(Frames.type(events.get(0))).isEqualTo("EVENT_TYPE_SESSION_START");
        assertThat(Frames.ofType(events, "EVENT_TYPE_POLY_AGENT_MESSAGE")).isNotEmpty();
        assertThat(Frames.ofType(events, "EVENT_TYPE_LIVE_AGENT_JOINED")).hasSize(1);
    }

    @Test
    void anAgentCannotActOnAnotherAgentsConversation() {
        String sessionId = handOffToSarah();
        String tomToken = node.desk().token("Tom", DeskTestNode.PASSWORD);
        try (DeskClient tom = node.connectDesk(tomToken)) {
            for (String type : new String[] {"desk.send", "desk.typing", "desk.leave", "desk.end", "desk.transfer"}) {
                tom.send(DeskClient.command(type).put("request_id", "r-" + type).put("session_id", sessionId)
                        .put("text", "not mine").put("state", "TYPING_STATE_STARTED").put("queue", "sales"));
                JsonNode error = tom.next("desk.error");
                assertThat(error.path("message").asText()).isEqualTo("conversation not assigned to you");
                assertThat(error.path("request_id").asText()).isEqualTo("r-" + type);
            }
            assertThat(node.desk().call("GET", "/desk/api/conversations/" + sessionId + "/transcript", tomToken, null)
                    .statusCode()).isEqualTo(404);
        }
        user.assertNoMoreEvents();
        JsonNode transcript = DeskHttp.json(node.desk().call("GET",
                "/desk/api/conversations/" + sessionId + "/transcript", node.desk().token("Sarah", DeskTestNode.PASSWORD), null));
        List<JsonNode> events = new java.util.ArrayList<>();
        transcript.path("events").forEach(events::add);
        assertThat(Frames.ofType(events, "EVENT_TYPE_LIVE_AGENT_MESSAGE")).isEmpty();
        assertThat(Frames.ofType(events, "EVENT_TYPE_LIVE_AGENT_LEFT")).isEmpty();
        assertThat(node.handoff(sessionId).orElseThrow().agentId()).isEqualTo("agt_sarah");
    }

    @Test
    void badCommandsGetDeskErrorAndTheSocketStaysOpen() {
        sarah.send("not json");
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("malformed JSON");
        sarah.send("[1,2]");
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("a command is a JSON object");
        sarah.send(DeskClient.command("desk.nope").put("request_id", "r1"));
        JsonNode unknown = sarah.next("desk.error");
        assertThat(unknown.path("message").asText()).isEqualTo("unknown command type: desk.nope");
        assertThat(unknown.path("request_id").asText()).isEqualTo("r1");
        sarah.send(DeskClient.command("desk.send").put("request_id", 7).put("text", "hi"));
        JsonNode missing = sarah.next("desk.error");
        assertThat(missing.path("message").asText()).isEqualTo("missing field: session_id");
        assertThat(missing.path("request_id").asInt()).isEqualTo(7);
        sarah.send(DeskClient.command("desk.send").put("session_id", "s").put("text", "  "));
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("text must not be empty");
        sarah.send(DeskClient.command("desk.send").put("session_id", "s").put("text", "x".repeat(16_001)));
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("text longer than 16000 characters");
        sarah.send(DeskClient.command("desk.typing").put("session_id", "s").put("state", "SHOUTING"));
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("invalid state: SHOUTING");
        sarah.send(DeskClient.command("desk.presence").put("presence", "OFFLINE"));
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("presence must be AVAILABLE or AWAY");
        sarah.sendBinary(new byte[] {1, 2, 3});
        assertThat(sarah.next("desk.error").path("message").asText()).contains("binary frames are not supported");
        sarah.send(DeskClient.command("desk.send").put("session_id", "nobody").put("text", "hello"));
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("conversation not assigned to you");

        // still served: a claim with nothing waiting is answered
        sarah.send(DeskClient.command("desk.claim").put("request_id", "last"));
        JsonNode claim = sarah.next("desk.error");
        assertThat(claim.path("message").asText()).isEqualTo("conversation not available");
        assertThat(claim.path("request_id").asText()).isEqualTo("last");
        assertThat(sarah.isClosed()).isFalse();
    }

    @Test
    void aDeskThatConnectsLaterGetsItsConversationsAndTheirHistory() {
        String sessionId = handOffToSarah();
        String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        try (DeskClient second = node.connectDesk(token)) {
            JsonNode again = second.next("desk.assigned");
            assertThat(again.path("conversation").path("session_id").asText()).isEqualTo(sessionId);
            List<JsonNode> history = second.eventsUntil("EVENT_TYPE_LIVE_AGENT_JOINED");
            assertThat(Frames.ofType(history, "EVENT_TYPE_USER_MESSAGE")).isNotEmpty();
        }
    }
}
