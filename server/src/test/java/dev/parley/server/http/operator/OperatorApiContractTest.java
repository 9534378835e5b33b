package dev.parley.server.http.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.session.CloseCodes;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator API (issue 14) end to end on a real node: keys issued and revoked with the admin
 * CLI as an operator would, conversations over real WebSockets, the store read behind the node's
 * back. Run on SQLite and on PostgreSQL by the subclasses.
 */
abstract class OperatorApiContractTest {
    /** Far more than the one-second polls, so a loaded build machine does not make this flaky. */
    static final Duration PICKED_UP = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    TestServer server;
    Rest rest;

    /** The store settings of the node (and of the CLI): SQLite in the data directory, or PostgreSQL. */
    abstract ParleyConfig withStore(ParleyConfig config);

    /** How the admin CLI finds the same store and secret as the node. */
    abstract CliContext cliContext() throws Exception;

    /** A connection straight to the node's database. */
    abstract Connection raw() throws SQLException;

    /** The schema whose tables are searched (null for SQLite). */
    abstract String schema();

    @BeforeEach
    void start() {
        // No desk (its demo agent's bcrypt costs seconds); unlimited REST rates, so tests create sessions freely.
        server = TestServer.start(dir.resolve("data"), c -> withStore(c.withDesk(DeskConfig.DISABLED)
                .withRates(c.sessionMessageRate(), new ParleyConfig.RateLimit(10_000, 10_000))));
        rest = server.rest();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- authentication ------------------------------------------------------------------------

    @Test
    void missingWrongAndRevokedKeysAre401() {
        String[] issued = issueKey("reporting");
        assertThat(get("/api/v1/operator/sessions", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get("/api/v1/operator/sessions", "pok_" + "A".repeat(43));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Rest.json(wrong).path("error").asText()).isEqualTo(OperatorAuth.INVALID);
        assertThat(get("/api/v1/operator/sessions", "pct_a-connector-token").statusCode()).isEqualTo(401);
        await().atMost(PICKED_UP).untilAsserted(() ->
                assertThat(get("/api/v1/operator/sessions", issued[1]).statusCode()).isEqualTo(200));

        assertThat(cli("admin", "api-key", "revoke", issued[0])).contains("Revoked operator API key " + issued[0]);

        await().atMost(PICKED_UP).untilAsserted(() -> {
            HttpResponse<String> refused = get("/api/v1/operator/sessions", issued[1]);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        });
        assertThat(cli("admin", "api-key", "list")).contains(issued[0], "reporting").doesNotContain(issued[1]);
    }

    @Test
    void anAddressThatKeepsSendingWrongKeysIsRefusedWith429EvenWithAGoodKey() {
        String key = readyKey(); // waiting for the node to read the new key may have cost a strike or two
        assertThat(get("/api/v1/operator/sessions", "pok_guess").statusCode()).isEqualTo(401);
        int refused = 1;
        while (refused < 10 && get("/api/v1/operator/sessions", "pok_guess" + refused).statusCode() == 401) {
            refused++;
        }

        HttpResponse<String> throttled = get("/api/v1/operator/sessions", key);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(Rest.json(throttled).path("error").asText()).isEqualTo(OperatorAuth.TOO_MANY);
    }

    // ---- listing -------------------------------------------------------------------------------

    @Test
    void pagesNeitherRepeatNorSkipSessionsWhileNewOnesArrive() {
        String key = readyKey();
        String token = rest.accessToken();
        Set<String> before = new LinkedHashSet<>();
        for (int i = 0; i < 12; i++) {
            before.add(rest.createSession(token, false));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = get("/api/v1/operator/sessions?connector_id=con_demo&limit=5"
                    + (cursor == null ? "" : "&cursor=" + cursor), key);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = Rest.json(page);
            body.path("sessions").forEach(s -> seen.add(s.path("session_id").asText()));
            rest.createSession(token, false); // arrives while the operator pages
            cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).doesNotHaveDuplicates().containsAll(before);
        assertThat(seen).as("only the newcomers that arrived before the first page was read are extra")
                .hasSizeLessThanOrEqualTo(before.size() + 1);
        assertThat(get("/api/v1/operator/sessions?cursor=not-a-cursor", key).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/operator/sessions?limit=0", key).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/operator/sessions?limit=201", key).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/operator/sessions?state=closed", key).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/operator/sessions?colour=red", key).statusCode()).isEqualTo(400);
    }

    @Test
    void theListingFiltersByStateHandoffConnectorAndTime() {
        String key = readyKey();
        String token = rest.accessToken();
        Instant start = Instant.now().minusSeconds(1);
        String open = rest.createSession(token, false);
        String ended;
        try (WsClient ws = WsClient.connect(server.baseUrl(), rest.createSession(token, false), token, null)) {
            ws.replay();
            ws.sendType("EVENT_TYPE_USER_END_SESSION");
            ws.nextOfType("EVENT_TYPE_SESSION_END");
            ended = ws.sessionId();
        }

        assertThat(ids(key, "state=open")).contains(open).doesNotContain(ended);
        assertThat(ids(key, "state=ended")).contains(ended).doesNotContain(open);
        assertThat(ids(key, "handoff=false")).contains(open, ended);
        assertThat(ids(key, "handoff=true")).doesNotContain(open, ended);
        assertThat(ids(key, "connector_id=con_other")).isEmpty();
        assertThat(ids(key, "created_after=" + enc(start.toString()))).contains(open, ended);
        assertThat(ids(key, "created_before=" + enc(start.toString()))).doesNotContain(open, ended);
        JsonNode one = Rest.json(get("/api/v1/operator/sessions/" + ended, key));
        assertThat(one.path("state").asText()).isEqualTo("ended");
        assertThat(one.path("end_reason").asText()).isEqualTo("REASON_USER_END");
        assertThat(one.path("connector_id").asText()).isEqualTo("con_demo");
        assertThat(get("/api/v1/operator/sessions/ses_nope", key).statusCode()).isEqualTo(404);
    }

    // ---- events and transcripts ----------------------------------------------------------------

    @Test
    void eventsArePagedBySequenceExactlyAsTheyWereSent() {
        String key = readyKey();
        List<JsonNode> sent = new ArrayList<>();
        String sessionId;
        try (WsClient ws = server.newSession(false)) {
            sent.addAll(ws.replay());
            ws.join();
            ws.say("first", "c-1");
            sent.add(ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN"));
            sessionId = ws.sessionId();
            await().atMost(PICKED_UP).until(() -> Rest.json(get("/api/v1/operator/sessions/" + ws.sessionId(), key))
                    .path("last_sequence").asLong() >= 4);
        }
        List<Long> sequences = new ArrayList<>();
        long after = 0;
        int pages = 0;
        while (true) {
            JsonNode page = Rest.json(get("/api/v1/operator/sessions/" + sessionId + "/events?limit=2&after=" + after, key));
            page.path("events").forEach(e -> sequences.add(e.path("sequence").asLong()));
            pages++;
            if (page.path("next_after").isNull()) {
                break;
            }
            after = page.path("next_after").asLong();
        }
        assertThat(sequences).isSorted().doesNotHaveDuplicates().startsWith(1L, 2L);
        assertThat(sequences.get(sequences.size() - 1)).isEqualTo(sequences.size());
        assertThat(pages).isGreaterThanOrEqualTo(2);
        JsonNode first = Rest.json(get("/api/v1/operator/sessions/" + sessionId + "/events?limit=1", key)).path("events").get(0);
        assertThat(first).isEqualTo(sent.get(0)); // SESSION_START as replayed
        assertThat(get("/api/v1/operator/sessions/" + sessionId + "/events?after=-1", key).statusCode()).isEqualTo(400);
    }

    @Test
    void transcriptsEscapeEverythingTheUserWrote() {
        String key = readyKey();
        String evil = "<script>alert(\"x\")</script> & 'q' <img src=x onerror=y>";
        String sessionId;
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.say(evil, "c-evil");
            ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            sessionId = ws.sessionId();
        }

        HttpResponse<String> html = get("/api/v1/operator/sessions/" + sessionId + "/transcript?format=html", key);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'none'"));
        assertThat(html.body()).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;img src=x onerror=y&gt;")
                .doesNotContain("<script").doesNotContain("<img");
        String cliHtml = cli("admin", "session", "transcript", sessionId, "--format", "html");
        assertThat(cliHtml).contains("&lt;script&gt;").doesNotContain("<script");

        HttpResponse<String> text = get("/api/v1/operator/sessions/" + sessionId + "/transcript?format=text", key);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text.body()).contains("User: " + evil).contains("AI agent");
        JsonNode json = Rest.json(get("/api/v1/operator/sessions/" + sessionId + "/transcript", key));
        assertThat(json.path("lines").findValuesAsText("text")).contains(evil);
        assertThat(json.path("session").path("session_id").asText()).isEqualTo(sessionId);
        assertThat(json.path("events").size()).isGreaterThanOrEqualTo(4);
        assertThat(get("/api/v1/operator/sessions/" + sessionId + "/transcript?format=pdf", key).statusCode()).isEqualTo(400);
    }

    // ---- erasure -------------------------------------------------------------------------------

    @Test
    void erasingALiveConversationEndsItFirstThenLeavesNoContentAnywhereAndItsIdIsRefused() throws Exception {
        String[] issued = issueKey("privacy desk");
        String key = issued[1];
        awaitKey(key);
        String secret = "mango-" + System.nanoTime();
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.say("my card is " + secret, "cid-" + secret);
            ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(tablesContaining(secret)).as("the conversation is stored").contains("events");

            HttpResponse<String> erased = delete("/api/v1/operator/sessions/" + ws.sessionId(), key);

            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
            assertThat(Rest.json(erased).path("erased_by").asText()).isEqualTo("api-key:" + issued[0]);
            ws.nextOfType("EVENT_TYPE_SESSION_END"); // ended first: the socket heard it
            assertThat(ws.awaitClose()).isIn(CloseCodes.NORMAL, CloseCodes.POLICY_VIOLATION);
            assertThat(tablesContaining(secret)).isEmpty();
            assertThat(tablesContaining(ws.sessionId())).containsExactly("erased_sessions");

            HttpResponse<String> gone = get("/api/v1/operator/sessions/" + ws.sessionId(), key);
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(Rest.json(gone).path("erasure").path("erased_by").asText()).isEqualTo("api-key:" + issued[0]);
            assertThat(get("/api/v1/operator/sessions/" + ws.sessionId() + "/events", key).statusCode()).isEqualTo(410);
            assertThat(get("/api/v1/operator/sessions/" + ws.sessionId() + "/transcript", key).statusCode()).isEqualTo(410);
            assertThat(WsClient.refusedStatus(server.baseUrl(), ws.sessionId(), ws.accessToken(), null)).isEqualTo(404);
            assertThat(delete("/api/v1/operator/sessions/" + ws.sessionId(), key).statusCode()).as("idempotent").isEqualTo(200);
            assertThat(ids(key, "connector_id=con_demo")).doesNotContain(ws.sessionId());
        }
        assertThat(delete("/api/v1/operator/sessions/ses_never", key).statusCode()).isEqualTo(404);
    }

    @Test
    void anErasureByTheCliClosesTheSocketsTheRunningNodeHolds() {
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");

            assertThat(cli("admin", "session", "erase", ws.sessionId())).contains("Erased session " + ws.sessionId());

            await().atMost(PICKED_UP).until(ws::isClosed);
            assertThat(ws.awaitClose()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(ws.closeReason()).isEqualTo("session erased");
            assertThat(WsClient.refusedStatus(server.baseUrl(), ws.sessionId(), ws.accessToken(), null)).isEqualTo(404);
            assertThat(cli("admin", "session", "erase", ws.sessionId())).contains("already erased");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Issues a key with the CLI; returns its id and the key. */
    String[] issueKey(String name) {
        String out = cli("admin", "api-key", "issue", "--name", name);
        Matcher m = Pattern.compile("Issued operator API key (opk_\\S+) .*\\RKey: (pok_\\S+)").matcher(out);
        assertThat(m.find()).as("key id and key in %s", out).isTrue();
        return new String[] {m.group(1), m.group(2)};
    }

    /** A key the node accepts already (it reads new keys within about a second). */
    String readyKey() {
        String key = issueKey("tests")[1];
        awaitKey(key);
        return key;
    }

    private void awaitKey(String key) {
        await().atMost(PICKED_UP).until(() -> get("/api/v1/operator/sessions?limit=1", key).statusCode() == 200);
    }

    private List<String> ids(String key, String query) {
        HttpResponse<String> page = get("/api/v1/operator/sessions?limit=200&" + query, key);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Rest.json(page).path("sessions").forEach(s -> ids.add(s.path("session_id").asText()));
        return ids;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET());
    }

    HttpResponse<String> delete(String path, String key) {
        return send(request(path, key).DELETE());
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli;
        try {
            cli = ParleyCommand.commandLine(cliContext());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as("exit code; stderr: %s", err).isZero();
        return out.toString();
    }

    /** The tables in which some column of some row contains {@code needle}. */
    Set<String> tablesContaining(String needle) throws SQLException {
        Set<String> found = new HashSet<>();
        try (Connection c = raw()) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, schema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery("SELECT * FROM " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String value = rows.getString(i);
                            if (value != null && value.contains(needle)) {
                                found.add(table);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
