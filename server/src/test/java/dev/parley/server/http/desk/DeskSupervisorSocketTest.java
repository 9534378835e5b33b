package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ParleyServer;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.Passwords;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maria supervises the demo connector's desk (in no queue herself); Sarah takes the demo flow's
 * handoffs. Real node, real sockets, REST over HTTP. Olga supervises another connector.
 */
@BothStores
class DeskSupervisorSocketTest {
    static final DeskAgent MARIA = new DeskAgent("agt_maria", ParleyServer.DEMO_CONNECTOR_ID, "Maria", null,
            List.of(), 3, DeskAgent.Role.SUPERVISOR);

    @TempDir
    Path dir;
    DeskTestNode node;
    DeskHttp http;
    DeskClient sarah;
    DeskClient maria;
    String mariaToken;
    WsClient user;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir, DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS), null, List.of(MARIA));
        http = node.desk();
        sarah = node.connectAgent("Sarah");
        mariaToken = http.token("Maria", DeskTestNode.PASSWORD);
        maria = node.connectDesk(mariaToken);
    }

    @AfterEach
    void stop() {
        if (user != null) {
            user.close();
        }
        sarah.close();
        maria.close();
        node.close();
    }

    /** The demo flow: greeting, "I need a human" → handoff to {@code support} → Sarah (or whoever is free) joins. */
    private String handOff() {
        user = node.newSession();
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        return user.sessionId();
    }

    private String handOffToSarah() {
        String sessionId = handOff();
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);
        return sessionId;
    }

    private static String post(String field, String value) {
        return DeskClient.command("x").put(field, value).toString();
    }

    @Test
    void plainAgentsAreRefusedEverySupervisorCall() {
        String sessionId = handOffToSarah();
        String sarahToken = http.token("Sarah", DeskTestNode.PASSWORD);

        for (HttpResponse<String> r : List.of(
                http.call("GET", "/desk/api/supervisor/overview", sarahToken, null),
                http.call("POST", "/desk/api/supervisor/take-over", sarahToken, post("session_id", sessionId)),
                http.call("POST", "/desk/api/supervisor/reassign", sarahToken,
                        DeskClient.command("x").put("session_id", sessionId).put("agent_id", "agt_tom").toString()))) {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(DeskHttp.json(r).path("error").asText()).isEqualTo("supervisors only");
        }
        try (DeskClient tom = node.connectAgent("Tom")) {
            List<JsonNode> read = new java.util.ArrayList<>();
            for (String type : List.of("desk.watch", "desk.take_over", "desk.reassign")) {
                tom.send(DeskClient.command(type).put("request_id", type).put("session_id", sessionId).put("agent_id", "agt_tom"));
                read.addAll(tom.readUntil(m -> m.path("type").asText().equals("desk.error")));
                JsonNode error = read.get(read.size() - 1);
                assertThat(error.path("message").asText()).isEqualTo("supervisors only");
                assertThat(error.path("request_id").asText()).isEqualTo(type);
            }
            assertThat(read).noneMatch(m -> m.path("type").asText().equals("desk.overview")
                    || m.path("type").asText().equals("desk.event"));
        }
        assertThat(node.handoff(sessionId).orElseThrow().agentId()).isEqualTo("agt_sarah");
    }

    @Test
    void theSupervisorSeesTheTeamWatchesLiveAndTakesOver() {
        String sessionId = handOffToSarah();

        // the live overview names Sarah's conversation
        JsonNode pushed = maria.next(m -> m.path("type").asText().equals("desk.overview")
                && m.path("agents").toString().contains(sessionId));
        JsonNode overview = DeskHttp.json(http.call("GET", "/desk/api/supervisor/overview", mariaToken, null));
        for (JsonNode o : List.of(pushed, overview)) {
            assertThat(o.path("queues").findValuesAsText("name")).contains("support", "sales");
            JsonNode sarahRow = agentRow(o, "agt_sarah");
            assertThat(sarahRow.path("presence").asText()).isEqualTo("AVAILABLE");
            assertThat(sarahRow.path("load").asInt()).isEqualTo(1);
            assertThat(sarahRow.path("capacity").asInt()).isEqualTo(3);
            assertThat(sarahRow.path("conversations").get(0).path("session_id").asText()).isEqualTo(sessionId);
            assertThat(sarahRow.path("conversations").get(0).path("queue").asText()).isEqualTo("support");
            assertThat(agentRow(o, "agt_tom").path("load").asInt()).isZero();
            assertThat(agentRow(o, "agt_maria").path("role").asText()).isEqualTo("SUPERVISOR");
        }
        JsonNode support = overview.path("queues").get(0);
        assertThat(support.path("waiting").asInt()).isZero();
        assertThat(support.path("available_agents").asInt()).isEqualTo(1);
        assertThat(support.has("longest_wait_seconds")).isTrue();

        // watching: the history first, then live, the user's typing included; read-only
        maria.send(DeskClient.command("desk.watch").put("session_id", sessionId));
        List<JsonNode> history = maria.eventsUntil("EVENT_TYPE_LIVE_AGENT_JOINED");
        assertThat(Frames.ofType(history, "EVENT_TYPE_USER_MESSAGE")).isNotEmpty();
        user.say("Is anyone there?");
        assertThat(maria.eventsUntil("EVENT_TYPE_USER_MESSAGE")).anyMatch(e ->
                e.path("payload").path("text").asText().equals("Is anyone there?"));
        user.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STARTED\"}}");
        maria.next(m -> m.path("event").path("type").asText().equals("EVENT_TYPE_USER_TYPING"));
        maria.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "just watching"));
        assertThat(maria.next("desk.error").path("message").asText()).isEqualTo("conversation not assigned to you");

        // taking over: Sarah is told who took it, the user meets Maria (a second JOINED, no LEFT)
        maria.send(DeskClient.command("desk.take_over").put("session_id", sessionId));
        assertThat(maria.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);
        JsonNode gone = sarah.next("desk.unassigned");
        assertThat(gone.path("session_id").asText()).isEqualTo(sessionId);
        assertThat(gone.path("reason").asText()).isEqualTo("taken_over");
        assertThat(gone.path("by").path("id").asText()).isEqualTo("agt_maria");
        assertThat(gone.path("by").path("name").asText()).isEqualTo("Maria");
        List<JsonNode> toUser = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        assertThat(Frames.ofType(toUser, "EVENT_TYPE_LIVE_AGENT_LEFT")).isEmpty();
        assertThat(toUser.get(toUser.size() - 1).path("payload").path("agent").path("name").asText()).isEqualTo("Maria");

        maria.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "Maria here, I'll help."));
        JsonNode reply = user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE");
        assertThat(reply.path("payload").path("agent_id").asText()).isEqualTo("agt_maria");
        assertThat(reply.path("payload").path("text").asText()).isEqualTo("Maria here, I'll help.");
        sarah.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "still me?"));
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("conversation not assigned to you");
        assertThat(node.handoff(sessionId).orElseThrow().agentId()).isEqualTo("agt_maria");
    }

    @Test
    void aWaitingConversationIsTakenOverOverRestAndOthersAreReassigned() {
        assertThat(http.call("PUT", "/desk/api/presence", http.token("Sarah", DeskTestNode.PASSWORD),
                "{\"presence\":\"AWAY\"}").statusCode()).isEqualTo(204);
        String sessionId = handOff();
        JsonNode waiting = maria.next(m -> m.path("type").asText().equals("desk.overview")
                && m.path("queues").get(0).path("waiting").asInt() == 1);
        assertThat(waiting.path("queues").get(0).path("waiting_conversations").get(0).path("session_id").asText())
                .isEqualTo(sessionId);
        assertThat(waiting.path("queues").get(0).path("available_agents").asInt()).isZero();

        HttpResponse<String> taken = http.call("POST", "/desk/api/supervisor/take-over", mariaToken, post("session_id", sessionId));
        assertThat(taken.statusCode()).isEqualTo(200);
        assertThat(DeskHttp.json(taken).path("conversation").path("status").asText()).isEqualTo("ASSIGNED");
        assertThat(maria.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);
        assertThat(Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED")).get(0)).isNotNull();

        // to Tom (in sales only, which does not matter when a supervisor chooses); away agents are refused
        try (DeskClient tom = node.connectAgent("Tom")) {
            tom.next("desk.snapshot");
            String body = DeskClient.command("x").put("session_id", sessionId).put("agent_id", "agt_tom").toString();
            HttpResponse<String> moved = http.call("POST", "/desk/api/supervisor/reassign", mariaToken, body);
            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(tom.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(sessionId);
            JsonNode gone = maria.next("desk.unassigned");
            assertThat(gone.path("reason").asText()).isEqualTo("reassigned");
            JsonNode joined = user.next("EVENT_TYPE_LIVE_AGENT_JOINED");
            assertThat(joined.path("payload").path("agent").path("id").asText()).isEqualTo("agt_tom");

            String toSarah = DeskClient.command("x").put("session_id", sessionId).put("agent_id", "agt_sarah").toString();
            HttpResponse<String> refused = http.call("POST", "/desk/api/supervisor/reassign", mariaToken, toSarah);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(DeskHttp.json(refused).path("error").asText()).isEqualTo("agent not available");
            maria.send(DeskClient.command("desk.reassign").put("session_id", sessionId).put("agent_id", "agt_nobody"));
            assertThat(maria.next("desk.error").path("message").asText()).isEqualTo("agent not available");
            assertThat(http.call("POST", "/desk/api/supervisor/reassign", mariaToken, post("session_id", sessionId))
                    .statusCode()).isEqualTo(400);
            assertThat(node.handoff(sessionId).orElseThrow().agentId()).isEqualTo("agt_tom");
        }
    }

    @Test
    void anotherConnectorsSupervisorSeesNothingOfThisOne() {
        try (NodeStore store = TestStores.open(node.server().dataDir())) {
            store.upsertConnector(new Connector("con_other", "hash-other", "other.example", Instant.EPOCH, null));
            store.createAgent(new DeskAgent("agt_olga", "con_other", "Olga", null, List.of("support"), 3,
                    DeskAgent.Role.SUPERVISOR), new Passwords(4, new java.security.SecureRandom())
                    .hash(DeskTestNode.PASSWORD.toCharArray()));
        }
        String sessionId = handOffToSarah();
        String olgaToken = http.token("Olga", DeskTestNode.PASSWORD);
        try (DeskClient olga = node.connectDesk(olgaToken)) {
            JsonNode overview = olga.next("desk.overview");
            assertThat(overview.path("agents").findValuesAsText("id")).containsExactly("agt_olga");
            assertThat(overview.toString()).doesNotContain(sessionId);
            olga.send(DeskClient.command("desk.watch").put("session_id", sessionId));
            assertThat(olga.next("desk.error").path("message").asText()).isEqualTo("conversation not available");
            HttpResponse<String> refused = http.call("POST", "/desk/api/supervisor/take-over", olgaToken,
                    post("session_id", sessionId));
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(DeskHttp.json(refused).path("error").asText()).isEqualTo("conversation not available");
        }

        // once ended, the conversation is in Maria's history (every queue), never in Olga's
        sarah.send(DeskClient.command("desk.end").put("session_id", sessionId));
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(
                DeskHttp.json(http.call("GET", "/desk/api/history", mariaToken, null)).path("conversations")
                        .findValuesAsText("session_id")).contains(sessionId));
        assertThat(http.call("GET", "/desk/api/history/" + sessionId, mariaToken, null).statusCode()).isEqualTo(200);
        assertThat(http.call("GET", "/desk/api/history/" + sessionId, olgaToken, null).statusCode()).isEqualTo(404);
        assertThat(DeskHttp.json(http.call("GET", "/desk/api/history", olgaToken, null)).path("conversations").size()).isZero();
    }

    private static JsonNode agentRow(JsonNode overview, String id) {
        for (JsonNode a : overview.path("agents")) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + id + " in " + overview);
    }
}
