package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.BothStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk's REST calls against a real node over HTTP. */
@BothStores
class DeskRestTest {
    @TempDir
    Path dir;
    DeskTestNode node;
    DeskHttp http;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir);
        http = node.desk();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void loginAnswersTokenAndAgent() {
        HttpResponse<String> response = http.login("Sarah", DeskTestNode.PASSWORD);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = DeskHttp.json(response);
        assertThat(body.path("token").asText()).isNotBlank();
        assertThat(body.path("expires_in").asLong()).isEqualTo(43_200);
        assertThat(body.path("agent").path("id").asText()).isEqualTo("agt_sarah");
        assertThat(body.path("agent").path("name").asText()).isEqualTo("Sarah");
        assertThat(body.path("agent").path("queues").toString()).isEqualTo("[\"support\",\"sales\"]");
        assertThat(body.path("agent").path("capacity").asInt()).isEqualTo(3);
    }

    @Test
    void wrongPasswordAndUnknownNameGetTheSameAnswer() {
        for (HttpResponse<String> response : new HttpResponse[] {
                http.login("Sarah", "wrong"), http.login("Nobody", DeskTestNode.PASSWORD)}) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(DeskHttp.json(response).path("error").asText()).isEqualTo("invalid credentials");
        }
    }

    @Test
    void malformedLoginBodyIs400() {
        HttpResponse<String> response = http.call("POST", "/desk/api/login", null, "{not json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(DeskHttp.json(response).has("error")).isTrue();
    }

    @Test
    void everyCallNeedsAValidDeskToken() {
        for (String token : new String[] {null, "not-a-desk-token", "desk-agt_nobody"}) {
            HttpResponse<String> response = http.call("GET", "/desk/api/me", token, null);
            assertThat(response.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(DeskHttp.json(response).path("error").asText()).isEqualTo("invalid desk token");
        }
        assertThat(http.call("GET", "/desk/api/queues", null, null).statusCode()).isEqualTo(401);
        assertThat(http.call("POST", "/desk/api/claim", "bad", "{}").statusCode()).isEqualTo(401);
        assertThat(http.call("PUT", "/desk/api/presence", null, "{\"presence\":\"AWAY\"}").statusCode()).isEqualTo(401);
        assertThat(http.call("GET", "/desk/api/conversations/x/transcript", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void meAndQueuesShowTheAgentsQueuesOnly() {
        String token = http.token("Tom", DeskTestNode.PASSWORD);
        // The desk knows an agent's queues once they connected a desk socket.
        DeskClient socket = node.connectDesk(token);
        socket.next("desk.snapshot");

        JsonNode me = DeskHttp.json(http.call("GET", "/desk/api/me", token, null));
        assertThat(me.path("agent").path("name").asText()).isEqualTo("Tom");
        assertThat(me.path("presence").asText()).isEqualTo("AVAILABLE");
        assertThat(me.path("mine").isArray()).isTrue();

        HttpResponse<String> queues = http.call("GET", "/desk/api/queues", token, null);
        assertThat(queues.statusCode()).isEqualTo(200);
        JsonNode body = DeskHttp.json(queues);
        assertThat(body.path("queues")).hasSize(1);
        assertThat(body.path("queues").get(0).path("name").asText()).isEqualTo("sales");
        assertThat(body.path("queues").get(0).path("assignment").asText()).isEqualTo("MANUAL");
        assertThat(body.path("queues").get(0).path("waiting").isArray()).isTrue();
        socket.close();
    }

    @Test
    void presenceTakesAvailableOrAway() {
        String token = http.token("Sarah", DeskTestNode.PASSWORD);
        assertThat(http.call("PUT", "/desk/api/presence", token, "{\"presence\":\"AWAY\"}").statusCode()).isEqualTo(204);
        assertThat(http.call("PUT", "/desk/api/presence", token, "{\"presence\":\"OFFLINE\"}").statusCode()).isEqualTo(400);
        assertThat(http.call("PUT", "/desk/api/presence", token, "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void claimWithNothingWaitingIs409() {
        String token = http.token("Sarah", DeskTestNode.PASSWORD);
        HttpResponse<String> response = http.call("POST", "/desk/api/claim", token, "{}");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(DeskHttp.json(response).path("error").asText()).isEqualTo("conversation not available");
        assertThat(http.call("POST", "/desk/api/claim", token, "{\"session_id\":42}").statusCode()).isEqualTo(400);
    }

    @Test
    void transcriptOfAConversationNotAssignedIs404() {
        String token = http.token("Sarah", DeskTestNode.PASSWORD);
        HttpResponse<String> response = http.call("GET", "/desk/api/conversations/nope/transcript", token, null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(DeskHttp.json(response).path("error").asText()).isEqualTo("conversation not found");
    }

    @Test
    void deskSocketWithABadTokenIsRefusedBeforeTheUpgrade() {
        assertThat(DeskClient.refusedStatus(node.baseUrl(), "not-a-desk-token")).isEqualTo(401);
        assertThat(DeskClient.refusedStatus(node.baseUrl(), null)).isEqualTo(401);
    }
}
