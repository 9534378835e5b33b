package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk's history over HTTP on a real node: search, scoping by queue, paging, the read-only transcript. */
class DeskHistoryTest {
    @TempDir
    Path dir;
    DeskTestNode node;
    DeskHttp http;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir);
        HistorySeed.seed(node.server().dataDir());
        http = node.desk();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private JsonNode get(String agent, String path) {
        HttpResponse<String> response = http.call("GET", path, http.token(agent, DeskTestNode.PASSWORD), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return DeskHttp.json(response);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("conversations").forEach(c -> ids.add(c.path("session_id").asText()));
        return ids;
    }

    @Test
    void anAgentFindsEndedConversationsOfTheirOwnQueuesOnlyWithASnippet() {
        JsonNode sarah = get("Sarah", "/desk/api/history?q=parcel");
        assertThat(ids(sarah)).containsExactly("h-sales", "h-support");
        JsonNode support = sarah.path("conversations").get(1);
        assertThat(support.path("queue").asText()).isEqualTo("support");
        assertThat(support.path("live_agent").path("name").asText()).isEqualTo("Sarah");
        assertThat(support.path("snippet").toString())
                .isEqualTo("[{\"text\":\"Where is my \",\"match\":false},{\"text\":\"parcel\",\"match\":true},"
                        + "{\"text\":\"? It never arrived\",\"match\":false}]");
        assertThat(sarah.path("next_cursor").isNull()).isTrue();

        assertThat(ids(get("Tom", "/desk/api/history?q=parcel"))).containsExactly("h-sales");
        assertThat(ids(get("Tom", "/desk/api/history?q=parcel&queue=support"))).as("a filter cannot widen").isEmpty();
        assertThat(ids(get("Sarah", "/desk/api/history?agent=agt_tom"))).containsExactly("h-sales");
        assertThat(ids(get("Sarah", "/desk/api/history?q=refund"))).containsExactly("h-support");
        assertThat(ids(get("Sarah", "/desk/api/history?from=2026-01-01T10:02:00Z"))).containsExactly("h-sales");
        assertThat(ids(get("Sarah", "/desk/api/history?to=2025-12-31"))).isEmpty();
    }

    @Test
    void pagesFollowByCursor() {
        JsonNode first = get("Sarah", "/desk/api/history?limit=1");
        assertThat(ids(first)).containsExactly("h-sales");
        String cursor = first.path("next_cursor").asText();
        JsonNode second = get("Sarah", "/desk/api/history?limit=1&cursor=" + cursor);
        assertThat(ids(second)).containsExactly("h-support");
        assertThat(second.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void theTranscriptIsReadOnlyAndOnlyForTheQueuesAgents() {
        JsonNode t = get("Sarah", "/desk/api/history/h-support");
        assertThat(t.path("conversation").path("session_id").asText()).isEqualTo("h-support");
        assertThat(t.path("lines").toString()).contains("Where is my parcel? It never arrived",
                "The courier lost your parcel, a refund is on its way");
        assertThat(t.path("notes").isArray()).isTrue();
        assertThat(t.path("notes")).isEmpty();

        String tom = http.token("Tom", DeskTestNode.PASSWORD);
        assertThat(http.call("GET", "/desk/api/history/h-support", tom, null).statusCode()).isEqualTo(404);
        assertThat(http.call("GET", "/desk/api/history/h-billing", tom, null).statusCode()).isEqualTo(404);
        assertThat(http.call("GET", "/desk/api/history/nope", tom, null).statusCode()).isEqualTo(404);
    }

    @Test
    void badParametersAre400AndNoTokenIs401() {
        String sarah = http.token("Sarah", DeskTestNode.PASSWORD);
        assertThat(http.call("GET", "/desk/api/history?limit=0", sarah, null).statusCode()).isEqualTo(400);
        assertThat(http.call("GET", "/desk/api/history?from=yesterday", sarah, null).statusCode()).isEqualTo(400);
        assertThat(http.call("GET", "/desk/api/history?cursor=%21", sarah, null).statusCode()).isEqualTo(400);
        assertThat(http.call("GET", "/desk/api/history", null, null).statusCode()).isEqualTo(401);
        assertThat(http.call("GET", "/desk/api/history/h-support", null, null).statusCode()).isEqualTo(401);
    }
}
