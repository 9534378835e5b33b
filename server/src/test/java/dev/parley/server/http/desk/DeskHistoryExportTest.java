package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.desk.ConversationLabel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ended conversations in the desk's history have labels and customer details, and download under HistoryAccess. */
class DeskHistoryExportTest {
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

    @Test
    void historyListAndViewCarryTheLabelAndTheCustomer() {
        String sarah = http.token("Sarah", DeskTestNode.PASSWORD);
        JsonNode list = DeskHttp.json(http.call("GET", "/desk/api/history", sarah, null));
        list.path("conversations").forEach(c ->
                assertThat(c.path("label").asText()).isEqualTo(ConversationLabel.of(c.path("session_id").asText())));
        JsonNode view = DeskHttp.json(http.call("GET", "/desk/api/history/h-support", sarah, null)).path("conversation");
        assertThat(view.path("label").asText()).isEqualTo(ConversationLabel.of("h-support"));
        assertThat(view.path("customer").path("platform").asText()).isEqualTo("web");
        assertThat(view.path("customer").path("verified_context").isNull()).isTrue();
    }

    @Test
    void anEndedConversationDownloadsInEachFormatForThoseWhoMaySeeIt() {
        String sarah = http.token("Sarah", DeskTestNode.PASSWORD);
        String base = "/desk/api/history/h-support/transcript";
        HttpResponse<String> json = http.call("GET", base, sarah, null);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"conversation-h-support.json\"");
        assertThat(DeskHttp.json(json).path("session").path("session_id").asText()).isEqualTo("h-support");

        HttpResponse<String> text = http.call("GET", base + "?format=text", sarah, null);
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).startsWith("Conversation h-support").contains("Where is my parcel? It never arrived");
        HttpResponse<String> html = http.call("GET", base + "?format=html", sarah, null);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(html.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline;");

        assertThat(http.call("GET", base + "?format=doc", sarah, null).statusCode()).isEqualTo(400);
        String tom = http.token("Tom", DeskTestNode.PASSWORD);
        assertThat(http.call("GET", base + "?format=text", tom, null).statusCode()).isEqualTo(404);
        assertThat(http.call("GET", "/desk/api/history/h-billing/transcript", sarah, null).statusCode()).isEqualTo(404);
        assertThat(http.call("GET", "/desk/api/history/nope/transcript?format=html", sarah, null).statusCode()).isEqualTo(404);
    }
}
