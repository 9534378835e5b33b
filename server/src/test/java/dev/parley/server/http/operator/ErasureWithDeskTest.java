package dev.parley.server.http.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Erasing a conversation that waits in a desk queue: the desk lets it go before its handoff record
 * is deleted, so the record does not come back and the next conversation is first in line.
 */
class ErasureWithDeskTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String QUEUE_STATUS = "EVENT_TYPE_HANDOFF_QUEUE_STATUS";

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() {
        // No demo live agent (its bcrypt costs seconds): nobody is online, so handoffs wait in "support".
        DeskConfig desk = new DeskConfig(true, List.of(QueueSettings.auto("support", Duration.ofMinutes(10))),
                Duration.ofSeconds(60), Duration.ofMinutes(5), null, null);
        server = TestServer.start(dir.resolve("data"), c -> c.withDesk(desk));
        // Someone must serve the queue for a handoff to be queued; they never log in.
        try (SqliteStore store = SqliteStore.open(server.dataDir())) {
            store.createAgent(new DeskAgent("agt_uma", "con_demo", "Uma", null, List.of("support"), 1), "unused-hash");
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aConversationWaitingForALiveAgentLeavesTheQueueAndLeavesNoHandoffRecord() throws Exception {
        String key = issueKey();
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/api/v1/operator/sessions?handoff=true", key).statusCode() == 200);
        try (WsClient first = server.newSession(false); WsClient second = server.newSession(false)) {
            assertThat(positionAfterAskingForAHuman(first)).isEqualTo(1);
            assertThat(positionAfterAskingForAHuman(second)).isEqualTo(2);
            assertThat(get("/api/v1/operator/sessions?handoff=true", key).body()).contains(first.sessionId());
            assertThat(handoffRows(first.sessionId())).isEqualTo(1);

            HttpResponse<String> erased = send(HttpRequest.newBuilder(uri("/api/v1/operator/sessions/" + first.sessionId()))
                    .header("Authorization", "Bearer " + key).DELETE());

            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
            Frames.readUntil(first, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
            // The second conversation moves up: the desk forgot the erased one.
            JsonNode moved = Frames.readUntil(second, f -> Frames.type(f).equals(QUEUE_STATUS)).stream()
                    .filter(f -> Frames.type(f).equals(QUEUE_STATUS)).reduce((a, b) -> b).orElseThrow();
            assertThat(moved.path("payload").path("position_in_queue").asInt()).isEqualTo(1);
            assertThat(handoffRows(first.sessionId())).as("not written back by the desk").isZero();
            assertThat(handoffRows(second.sessionId())).isEqualTo(1);
        }
    }

    private static int positionAfterAskingForAHuman(WsClient user) {
        user.replay();
        user.join();
        user.say("I need a human");
        List<JsonNode> frames = Frames.readUntil(user, f -> Frames.type(f).equals(QUEUE_STATUS));
        return frames.get(frames.size() - 1).path("payload").path("position_in_queue").asInt();
    }

    private long handoffRows(String sessionId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("parley.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM handoffs WHERE session_id = '" + sessionId + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String issueKey() {
        CliContext context = new CliContext(c -> SqliteStore.open(c.dataDir()), new ConfigLoader(dir.resolve("cli.yaml")),
                Map.of("PARLEY_DATA_DIR", server.dataDir().toString()), Clock.systemUTC(), new SecureRandom());
        StringWriter out = new StringWriter();
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("admin", "api-key", "issue", "--name", "privacy")).isZero();
        Matcher m = Pattern.compile("Key: (pok_\\S+)").matcher(out.toString());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String path, String key) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).GET());
    }

    private URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
