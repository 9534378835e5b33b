package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ParleyServer;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.canned.CannedReply;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canned replies over the desk API: every agent reads what they may use, only supervisors write, and a
 * connector never reaches another's replies. Sarah serves support and sales, Tom sales, Maria supervises (support).
 */
@BothStores
class DeskCannedRestTest {
    private static final DeskAgent MARIA = new DeskAgent("agt_maria", ParleyServer.DEMO_CONNECTOR_ID, "Maria", null,
            List.of("support"), 3, DeskAgent.Role.SUPERVISOR);

    @TempDir
    Path dir;
    DeskTestNode node;
    DeskHttp http;
    String maria;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir, DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS), null, List.of(MARIA));
        http = node.desk();
        maria = http.token("Maria", DeskTestNode.PASSWORD);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private JsonNode create(String body) {
        HttpResponse<String> response = http.call("POST", "/desk/api/canned", maria, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return DeskHttp.json(response);
    }

    private List<String> shortcuts(String token, String query) {
        HttpResponse<String> response = http.call("GET", "/desk/api/canned" + query, token, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> list = new java.util.ArrayList<>();
        DeskHttp.json(response).path("replies").forEach(r -> list.add(r.path("shortcut").asText()));
        return list;
    }

    @Test
    void aSupervisorCreatesRepliesAndEachAgentGetsThoseOfTheirQueuesAndTheAllQueueOnes() {
        JsonNode refund = create("{\"queue\":\"support\",\"shortcut\":\"refund\",\"title\":\"Refund policy\","
                + "\"text\":\"Hi {{customer.name}}, refunds take 5 days.\"}");
        create("{\"queue\":\"sales\",\"shortcut\":\"price\",\"title\":\"Prices\",\"text\":\"See the list.\"}");
        create("{\"queue\":null,\"shortcut\":\"hello\",\"title\":\"Greeting\",\"text\":\"Hello, I am {{agent.name}}.\"}");

        assertThat(refund.path("id").asText()).startsWith("cr_");
        assertThat(refund.path("queue").asText()).isEqualTo("support");
        assertThat(refund.path("text").asText()).isEqualTo("Hi {{customer.name}}, refunds take 5 days.");
        assertThat(refund.path("created_at").asText()).isEqualTo(refund.path("updated_at").asText());

        String tom = http.token("Tom", DeskTestNode.PASSWORD);
        String sarah = http.token("Sarah", DeskTestNode.PASSWORD);
        assertThat(shortcuts(tom, "")).containsExactly("hello", "price");
        assertThat(shortcuts(sarah, "")).containsExactly("hello", "price", "refund");
        assertThat(shortcuts(sarah, "?queue=support")).containsExactly("hello", "refund");
        assertThat(shortcuts(maria, "")).as("a supervisor sees the connector's all").containsExactly("hello", "price", "refund");
        assertThat(shortcuts(maria, "?queue=sales")).containsExactly("hello", "price");
    }

    @Test
    void aSupervisorEditsAndDeletes() {
        String id = create("{\"queue\":\"support\",\"shortcut\":\"refund\",\"title\":\"Refund policy\",\"text\":\"Old\"}")
                .path("id").asText();

        HttpResponse<String> edited = http.call("PUT", "/desk/api/canned/" + id, maria,
                "{\"text\":\"New {{queue}}\",\"queue\":null}");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        JsonNode body = DeskHttp.json(edited);
        assertThat(body.path("text").asText()).isEqualTo("New {{queue}}");
        assertThat(body.path("title").asText()).as("unchanged").isEqualTo("Refund policy");
        assertThat(body.path("queue").isNull()).as("moved to every queue").isTrue();
        assertThat(shortcuts(http.token("Tom", DeskTestNode.PASSWORD), "")).containsExactly("refund");

        assertThat(http.call("DELETE", "/desk/api/canned/" + id, maria, null).statusCode()).isEqualTo(204);
        assertThat(http.call("DELETE", "/desk/api/canned/" + id, maria, null).statusCode()).isEqualTo(404);
        assertThat(shortcuts(maria, "")).isEmpty();
    }

    @Test
    void anAgentWhoIsNoSupervisorMayOnlyRead() {
        String id = create("{\"queue\":\"support\",\"shortcut\":\"refund\",\"title\":\"T\",\"text\":\"x\"}").path("id").asText();
        String sarah = http.token("Sarah", DeskTestNode.PASSWORD);

        for (HttpResponse<String> refused : List.of(
                http.call("POST", "/desk/api/canned", sarah, "{\"queue\":null,\"shortcut\":\"a\",\"title\":\"T\",\"text\":\"x\"}"),
                http.call("PUT", "/desk/api/canned/" + id, sarah, "{\"text\":\"y\"}"),
                http.call("DELETE", "/desk/api/canned/" + id, sarah, null))) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(DeskHttp.json(refused).path("error").asText()).isEqualTo("supervisors only");
        }
        assertThat(http.call("GET", "/desk/api/canned", null, null).statusCode()).isEqualTo(401);
        assertThat(shortcuts(sarah, "")).containsExactly("refund");
    }

    @Test
    void invalidRepliesAre400AndATakenShortcut409() {
        create("{\"queue\":\"support\",\"shortcut\":\"refund\",\"title\":\"T\",\"text\":\"x\"}");

        for (String body : List.of("{not json", "[]", "{\"queue\":null,\"shortcut\":\"a\",\"title\":\"T\",\"text\":\" \"}",
                "{\"queue\":null,\"shortcut\":\"Bad Slug\",\"title\":\"T\",\"text\":\"x\"}",
                "{\"queue\":null,\"shortcut\":\"a\",\"title\":\"\",\"text\":\"x\"}",
                "{\"queue\":\"nope\",\"shortcut\":\"a\",\"title\":\"T\",\"text\":\"x\"}",
                "{\"queue\":7,\"shortcut\":\"a\",\"title\":\"T\",\"text\":\"x\"}",
                "{\"queue\":null,\"shortcut\":\"a\",\"title\":\"T\",\"text\":42}",
                "{\"queue\":null,\"shortcut\":\"a\",\"title\":\"T\",\"text\":\"" + "y".repeat(4001) + "\"}")) {
            HttpResponse<String> response = http.call("POST", "/desk/api/canned", maria, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(DeskHttp.json(response).path("error").asText()).isNotBlank();
        }
        HttpResponse<String> taken = http.call("POST", "/desk/api/canned", maria,
                "{\"queue\":\"support\",\"shortcut\":\"refund\",\"title\":\"T\",\"text\":\"x\"}");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(DeskHttp.json(taken).path("error").asText()).contains("refund");
        assertThat(shortcuts(maria, "")).containsExactly("refund");
    }

    @Test
    void anotherConnectorsReplyIsNotFound() {
        try (NodeStore store = TestStores.open(dir)) { // a second process, as the admin CLI is
            store.cannedReplies().add(new CannedReply("cr_other", "con_other", null, "secret", "Theirs", "Not yours",
                    Instant.now(), Instant.now()));
        }

        assertThat(shortcuts(maria, "")).isEmpty();
        assertThat(http.call("PUT", "/desk/api/canned/cr_other", maria, "{\"text\":\"mine now\"}").statusCode()).isEqualTo(404);
        assertThat(http.call("DELETE", "/desk/api/canned/cr_other", maria, null).statusCode()).isEqualTo(404);
        assertThat(http.call("PUT", "/desk/api/canned/cr_none", maria, "{\"text\":\"x\"}").statusCode()).isEqualTo(404);
        try (NodeStore store = TestStores.open(dir)) {
            assertThat(store.cannedReplies().find("cr_other").orElseThrow().text()).isEqualTo("Not yours");
        }
    }
}
