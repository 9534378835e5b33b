package dev.parley.server.store.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way from an embedded data directory to PostgreSQL: conversations on a SQLite node, {@code parley
 * admin export}, {@code parley admin import} into an empty PostgreSQL, then a node on PostgreSQL
 * replays the same history byte for byte, continues the sequences, dedupes old client ids, and
 * accepts the old connector tokens.
 */
class EmbeddedToPostgresTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    @Test
    void anEmbeddedStoreMovesToPostgresWithItsHistoryTokensAndKeys() throws Exception {
        Path embedded = dir.resolve("embedded");
        AdminCli sqliteCli = new AdminCli(dir, Map.of("PARLEY_DATA_DIR", embedded.toString()));
        Map<String, String> replayedOnSqlite = new LinkedHashMap<>();
        String siteToken;
        String connectorId;
        String openSession;
        JsonNode openEcho;
        long openLast;
        String ratedSession;
        try (TestServer sqlite = TestServer.start(embedded)) {
            AdminCli.Result created = sqliteCli.run("admin", "connector", "create", "--host", "example.com");
            assertThat(created.code()).as(created.err()).isZero();
            siteToken = group(created.out(), "Token: (pct_\\S+)");
            connectorId = group(created.out(), "Created connector (con_\\S+)");
            assertThat(sqliteCli.run("admin", "connector", "context-key", "add", connectorId, "--kid", "site-1").code()).isZero();
            assertThat(sqliteCli.runWithInput("pw-bob\n", "admin", "agent", "create", "--name", "Bob", "--queue", "support",
                    "--password-stdin").code()).isZero();
            assertThat(sqliteCli.run("admin", "canned", "add", "--all-queues", "--shortcut", "hello", "--title", "Greeting",
                    "--text", "Hi {{customer.name}} ✓").code()).isZero();

            // An ended session that went to the desk's queue, so handoffs hold a row.
            String demoToken = sqlite.rest().accessToken();
            String ended = sqlite.rest().createSession(demoToken, false);
            try (WsClient ws = WsClient.connect(sqlite.baseUrl(), ended, demoToken, null)) {
                ws.replay();
                ws.join().nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
                ws.say("What are your opening hours? Ünïcode ✓ \"quoted\"", "m-1").nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
                ws.say("I'd like to talk to a person", "m-2").nextOfType("EVENT_TYPE_HANDOFF_ACCEPTED");
                ws.sendType("EVENT_TYPE_USER_END_SESSION");
                ws.nextOfType("EVENT_TYPE_SESSION_END");
                ws.awaitClose();
            }
            // A streaming session on the site's own connector, left open.
            String siteAccess = sqlite.rest().accessToken(siteToken, "www.example.com");
            openSession = sqlite.rest().createSession(siteAccess, true);
            try (WsClient ws = WsClient.connect(sqlite.baseUrl(), openSession, siteAccess, null)) {
                ws.replay();
                ws.join().nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
                ws.say("opening hours", "q-1");
                openEcho = ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
                openLast = lastOfReply(ws);
            }
            replayedOnSqlite.put(ended, rawReplay(sqlite, ended, demoToken));
            replayedOnSqlite.put(openSession, rawReplay(sqlite, openSession, siteAccess));
            ratedSession = ended;
        }
        // A CSAT rating comes along too: the ended session as if Sarah had had it, rated with a comment.
        try (dev.parley.server.store.NodeStore store = dev.parley.server.store.sqlite.SqliteStore.open(embedded)) {
            java.time.Instant at = java.time.Instant.parse("2026-11-30T12:00:00.123Z");
            store.saveHandoff(new dev.parley.server.desk.HandoffRecord(ratedSession, "con_demo", "support",
                    dev.parley.server.desk.HandoffRecord.Status.CLOSED, at, "agt_demo", at));
            assertThat(store.csat().give("con_demo", ratedSession, 5, "Ünïcode ✓ \"thanks\"", at.plusSeconds(1), "evt-csat"))
                    .isInstanceOf(dev.parley.server.csat.CsatOutcome.Given.class);
        }
        try (dev.parley.server.store.sqlite.SqliteStore store = dev.parley.server.store.sqlite.SqliteStore.open(embedded)) {
            String ended = replayedOnSqlite.keySet().iterator().next();
            store.notes().add(new dev.parley.server.desk.notes.DeskNote("note_1", ended, "con_demo", "agt_bob", "Bob",
                    "an internal note ✓", java.time.Instant.parse("2026-01-02T03:04:05.678Z")));
        }

        Path export = dir.resolve("parley-export.jsonl");
        AdminCli.Result exported = sqliteCli.run("admin", "export", "--out", export.toString());
        assertThat(exported.code()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("sessions: 2").contains("handoffs: 1").contains("context_keys: 1")
                .contains("desk_notes: 1").contains("csat_ratings: 1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export))).isEqualTo("rw-------");
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("{\"format\":\"parley-export\",\"version\":1,\"source\":\"sqlite\"");
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"end\":{\"connectors\":2,");
        assertThat(sqliteCli.run("admin", "export", "--out", export.toString()).code())
                .as("an existing file is never overwritten").isEqualTo(2);
        assertThat(lines).as("the turn each agent output answers comes along (issue 11)")
                .anyMatch(l -> l.startsWith("{\"table\":\"events\"") && l.matches(".*\"answers_seq\":[0-9]+.*"));

        // A file exported before the journal had answers_seq, agents a role and canned replies existed is
        // still read: absent columns are NULL or their default, an absent table is empty.
        Path older = Files.write(dir.resolve("before-answers-seq.jsonl"), lines.stream()
                .filter(l -> !l.startsWith("{\"table\":\"canned_replies\""))
                .map(l -> l.replaceAll(",\"answers_seq\":(null|[0-9]+)", "").replaceAll(",\"role\":\"[A-Z]+\"", "")
                        .replaceAll(",\"canned_replies\":[0-9]+", ""))
                .toList(), StandardCharsets.UTF_8);
        assertThat(Files.readString(older)).doesNotContain("answers_seq").doesNotContain("\"role\"")
                .doesNotContain("canned_replies");
        AdminCli.Result olderImported = new AdminCli(dir, Map.of("PARLEY_DATA_DIR", dir.resolve("from-older").toString(),
                "PARLEY_JWT_SECRET_BASE64_FILE", embedded.resolve("jwt.secret").toString()))
                .run("admin", "import", "--in", older.toString());
        assertThat(olderImported.code()).as(olderImported.err()).isZero();
        assertThat(olderImported.out()).contains("sessions: 2");

        Map<String, String> pgEnv = Map.of("PARLEY_STORE_KIND", "postgres", "PARLEY_STORE_URL", db.url(),
                "PARLEY_STORE_USER", "postgres", "PARLEY_DATA_DIR", dir.resolve("pg-admin").toString(),
                "PARLEY_JWT_SECRET_BASE64_FILE", embedded.resolve("jwt.secret").toString());
        AdminCli pgCli = new AdminCli(dir, pgEnv);

        Path truncated = Files.write(dir.resolve("truncated.jsonl"), lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        AdminCli.Result refused = pgCli.run("admin", "import", "--in", truncated.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("truncated").contains("nothing was imported");

        Map<String, String> otherSecret = new LinkedHashMap<>(pgEnv);
        otherSecret.remove("PARLEY_JWT_SECRET_BASE64_FILE");
        otherSecret.put("PARLEY_JWT_SECRET", "another-secret-of-at-least-32-bytes!!");
        AdminCli.Result wrongSecret = new AdminCli(dir, otherSecret).run("admin", "import", "--in", export.toString());
        assertThat(wrongSecret.code()).isEqualTo(1);
        assertThat(wrongSecret.err()).contains("another server secret").contains("PARLEY_JWT_SECRET_BASE64_FILE");

        AdminCli.Result imported = pgCli.run("admin", "import", "--in", export.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("sessions: 2").contains("live_agents: 3"); // Bob, and the demo's Sarah and Maria
        AdminCli.Result again = pgCli.run("admin", "import", "--in", export.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("is not empty");
        assertThat(pgCli.run("admin", "connector", "context-key", "list", connectorId).out()).contains("site-1");
        assertThat(pgCli.run("admin", "agent", "list").out()).contains("Bob").contains("Sarah").contains("Maria");
        assertThat(imported.out()).contains("canned_replies: 1");
        assertThat(pgCli.run("admin", "canned", "list").out()).contains("/hello").contains("Hi {{customer.name}} ✓");

        // Everything arrived as it was: an export of PostgreSQL holds the same rows, byte for byte.
        Path fromPostgres = dir.resolve("from-postgres.jsonl");
        AdminCli.Result pgExport = pgCli.run("admin", "export", "--out", fromPostgres.toString());
        assertThat(pgExport.code()).as(pgExport.err()).isZero();
        List<String> pgLines = Files.readAllLines(fromPostgres, StandardCharsets.UTF_8);
        assertThat(pgLines.get(0)).contains("\"source\":\"postgres\"");
        assertThat(pgLines.subList(1, pgLines.size())).containsExactlyElementsOf(lines.subList(1, lines.size()));

        byte[] secret = JwtSecret.loadOrCreate(embedded);
        try (TestServer pg = TestServer.start(dir.resolve("pg-node"), c -> c.withStore(db.storeConfig()).withJwtSecret(secret))) {
            String demoAccess = pg.rest().accessToken();
            String siteAccess = pg.rest().accessToken(siteToken, "www.example.com");
            List<String> sessions = new ArrayList<>(replayedOnSqlite.keySet());
            assertThat(rawReplay(pg, sessions.get(0), demoAccess)).isEqualTo(replayedOnSqlite.get(sessions.get(0)));
            assertThat(rawReplay(pg, sessions.get(1), siteAccess)).isEqualTo(replayedOnSqlite.get(sessions.get(1)));

            try (WsClient ws = WsClient.connect(pg.baseUrl(), openSession, siteAccess, String.valueOf(openLast))) {
                ws.replay();
                ws.say("opening hours", "q-1");
                JsonNode resent = ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
                assertThat(resent.path("id").asText()).as("the idempotency key came along").isEqualTo(openEcho.path("id").asText());
                assertThat(resent.path("sequence").asLong()).isEqualTo(openEcho.path("sequence").asLong());
                ws.say("and on Sunday?", "q-2");
                JsonNode next = ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
                assertThat(next.path("sequence").asLong()).as("the sequence goes on where it stopped").isEqualTo(openLast + 1);
            }
        }
    }

    /**
     * The exact text of the whole history's replay: the events of the batch as they came on the wire
     * (the batch itself has an id and a timestamp of its own).
     */
    private static String rawReplay(TestServer server, String session, String access) {
        try (WsClient ws = WsClient.connect(server.baseUrl(), session, access, "0")) {
            String raw = ws.raw(ws.next("EVENT_TYPE_EVENT_BATCH"));
            int events = raw.indexOf("\"events\":[");
            assertThat(events).as("events in %s", raw).isPositive();
            return raw.substring(events);
        }
    }

    /** Reads the streamed reply to its last chunk; returns that chunk's sequence. */
    private static long lastOfReply(WsClient ws) {
        while (true) {
            JsonNode chunk = ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK");
            if (chunk.path("payload").path("is_complete").asBoolean()) {
                return chunk.path("sequence").asLong();
            }
        }
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }
}
