package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.StoreFactory;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Production mode on one node: a real server with {@code store.kind: postgres} keeps a conversation
 * in PostgreSQL across a restart, and the admin CLI creates connectors in the same database.
 */
class PostgresModeEndToEndTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    private TestServer start() {
        // No desk: its demo agent's bcrypt hash costs seconds here, and the contract test covers the desk's tables.
        return TestServer.start(dir.resolve("data"), c -> c.withStore(db.storeConfig())
                .withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8)).withDesk(DeskConfig.DISABLED));
    }

    @Test
    void aConversationContinuesWithoutAGapAfterTheServerRestartsOnTheSameDatabase() throws Exception {
        String token;
        String sessionId;
        long last;
        JsonNode echo;
        JsonNode reply;
        try (TestServer first = start()) {
            Rest rest = first.rest();
            token = rest.accessToken();
            sessionId = rest.createSession(token, false);
            try (WsClient ws = WsClient.connect(first.baseUrl(), sessionId, token, null)) {
                ws.replay();
                ws.join();
                ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
                ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
                ws.say("hello from postgres", "pg-1");
                echo = ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
                reply = ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
                last = reply.path("sequence").asLong();
            }
        }
        assertThat(echo.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("pg-1");
        assertThat(storedEvents(sessionId)).as("journaled in PostgreSQL").isGreaterThanOrEqualTo(last);

        try (TestServer second = start()) {
            // The same access token works: both servers sign with the shared secret.
            try (WsClient again = WsClient.connect(second.baseUrl(), sessionId, token, String.valueOf(last))) {
                assertThat(replayedSequences(again)).as("nothing after the cursor yet, or what followed it")
                        .allSatisfy(s -> assertThat(s).isGreaterThan(last));
                again.say("still there?", "pg-2");
                JsonNode next = again.nextOfType("EVENT_TYPE_USER_MESSAGE");
                assertThat(next.path("sequence").asLong()).isGreaterThan(last);
                again.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            }
            try (WsClient reader = WsClient.connect(second.baseUrl(), sessionId, token, "0")) {
                List<JsonNode> all = replayAll(reader);
                for (int i = 0; i < all.size(); i++) {
                    assertThat(all.get(i).path("sequence").asLong()).as("sequence at %d", i).isEqualTo(i + 1);
                }
                assertThat(all).extracting(e -> e.path("id").asText())
                        .contains(echo.path("id").asText(), reply.path("id").asText());
            }
        }
    }

    @Test
    void theAdminCliCreatesAConnectorInPostgresThatTheServerAcceptsAtOnce() throws Exception {
        try (TestServer server = start()) {
            Path yaml = Files.writeString(dir.resolve("parley.yaml"), String.join("\n",
                    "store:",
                    "  kind: postgres",
                    "  url: " + db.url(),
                    "  user: postgres",
                    "  password_env: TEST_PG_PASSWORD", // the embedded server trusts local users; read anyway
                    "  pool_size: 2",
                    ""));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CliContext context = new CliContext(StoreFactory::open, new ConfigLoader(yaml),
                    Map.of("PARLEY_JWT_SECRET", JWT_SECRET, "TEST_PG_PASSWORD", "unused",
                            "PARLEY_DATA_DIR", dir.resolve("cli-data").toString()),
                    Clock.systemUTC(), new SecureRandom());
            CommandLine cli = ParleyCommand.commandLine(context);
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));

            int code = cli.execute("admin", "connector", "create", "--host", "yourcompany.com");

            assertThat(code).as("exit code; stderr: %s", err).isZero();
            Matcher m = Pattern.compile("Token: (pct_\\S+)").matcher(out.toString());
            assertThat(m.find()).as("token line in %s", out).isTrue();
            assertThat(server.rest().accessToken(m.group(1), "yourcompany.com")).isNotBlank();
        }
    }

    @Test
    void aServerOnPostgresWithoutASharedSecretRefusesToStartBeforeOpeningAnything() {
        Path dataDir = dir.resolve("unused");

        assertThatThrownBy(() -> TestServer.start(dataDir, c -> c.withStore(db.storeConfig())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PARLEY_JWT_SECRET");
        assertThat(dataDir).as("not even the data directory").doesNotExist();
    }

    private static long storedEvents(String sessionId) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url());
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM events WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Long> replayedSequences(WsClient ws) {
        List<Long> sequences = new ArrayList<>();
        ws.replay().forEach(e -> sequences.add(e.path("sequence").asLong()));
        return sequences;
    }

    private static List<JsonNode> replayAll(WsClient ws) {
        return ws.replay();
    }
}
