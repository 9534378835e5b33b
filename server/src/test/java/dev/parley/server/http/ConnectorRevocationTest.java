package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ErrorMessages;
import dev.parley.server.ParleyServer;
import dev.parley.server.StoreFactory;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.session.CloseCodes;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Revoking a connector stops it within seconds (issue 9, item 3), also when the revoke is done by
 * the admin CLI against the running server's data directory, as an operator would: the CLI opens a
 * second store on the same SQLite file, and the server learns of the revocation by polling it.
 * Every test makes its own connector through the CLI, so revoking it touches no other test.
 */
@ParleyTest
@BothStores
class ConnectorRevocationTest {
    /** Far more than the one-second poll, so a loaded build machine does not make this flaky. */
    private static final Duration PICKED_UP = Duration.ofSeconds(15);
    private static final String HOST = "localhost";

    static TestServer server;

    @TempDir
    Path cliConfigDir;
    /** Connector id → its token, as the CLI printed it. */
    private final Map<String, String> tokens = new HashMap<>();

    @Test
    void accessTokenMintedBeforeTheRevokeNoLongerCreatesSessions() {
        Rest rest = server.rest();
        String connector = createConnector();
        String accessToken = rest.accessToken(tokenOf(connector), HOST);
        rest.createSession(accessToken, false); // works before the revoke

        revoke(connector);

        await().atMost(PICKED_UP).untilAsserted(() -> {
            HttpResponse<String> refused = createSession(rest, accessToken);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(Rest.json(refused).path("error").asText()).isEqualTo(ErrorMessages.INVALID_ACCESS_TOKEN);
        });
    }

    @Test
    void connectorTokenThatMintedBeforeTheRevokeNoLongerMintsAccessTokens() {
        // Issue 10: the access-token route answers a token it has seen from memory; the poll still bites.
        Rest rest = server.rest();
        String connector = createConnector();
        rest.accessToken(tokenOf(connector), HOST);
        rest.accessToken(tokenOf(connector), HOST); // the second one from memory

        revoke(connector);

        await().atMost(PICKED_UP).untilAsserted(() -> {
            HttpResponse<String> refused = rest.requestAccessToken(tokenOf(connector), HOST);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(Rest.json(refused).path("error").asText()).isEqualTo(ErrorMessages.CONNECTOR_TOKEN_UNKNOWN);
        });
    }

    @Test
    void accessTokenMintedBeforeTheRevokeNoLongerOpensASocket() {
        Rest rest = server.rest();
        String connector = createConnector();
        String accessToken = rest.accessToken(tokenOf(connector), HOST);
        String sessionId = rest.createSession(accessToken, false);

        revoke(connector);

        await().atMost(PICKED_UP).untilAsserted(() ->
                assertThat(WsClient.refusedStatus(server.baseUrl(), sessionId, accessToken, null)).isEqualTo(401));
    }

    @Test
    void openSocketOfARevokedConnectorIsClosedWithConnectorRevoked() {
        Rest rest = server.rest();
        String connector = createConnector();
        String accessToken = rest.accessToken(tokenOf(connector), HOST);
        try (WsClient ws = WsClient.connect(server.baseUrl(), rest.createSession(accessToken, false), accessToken, null)) {
            ws.replay();
            ws.assertNoMoreEvents(); // attached and answering

            revoke(connector);

            await().atMost(PICKED_UP).until(ws::isClosed);
            assertThat(ws.awaitClose()).isEqualTo(CloseCodes.CONNECTOR_REVOKED).isEqualTo(1008);
            assertThat(ws.closeReason()).isEqualTo("connector revoked");
        }
    }

    @Test
    void revokingOneConnectorLeavesAnotherConnectorsSessionsAlone() {
        Rest rest = server.rest();
        String revoked = createConnector();
        String kept = createConnector();
        String revokedToken = rest.accessToken(tokenOf(revoked), HOST);
        String keptToken = rest.accessToken(tokenOf(kept), HOST);
        try (WsClient gone = WsClient.connect(server.baseUrl(), rest.createSession(revokedToken, false), revokedToken, null);
             WsClient stays = WsClient.connect(server.baseUrl(), rest.createSession(keptToken, false), keptToken, null)) {
            gone.replay();
            stays.replay();

            revoke(revoked);
            assertThat(gone.awaitClose()).isEqualTo(CloseCodes.CONNECTOR_REVOKED);

            assertThat(stays.isClosed()).isFalse();
            stays.join();
            assertThat(stays.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN").path("sequence").asLong()).isEqualTo(2);
            String another = rest.createSession(keptToken, false);
            try (WsClient second = WsClient.connect(server.baseUrl(), another, keptToken, null)) {
                assertThat(second.replay()).isNotEmpty();
            }
            assertThat(stays.isClosed()).isFalse();
        }
    }

    @Test
    void demoConnectorRevokedByTheCliIsRecreatedLiveByTheNextStart(@TempDir Path dataDir) {
        // The demo flags re-create the demo connector at every start; a revoke of it lasts until then.
        try (TestServer first = TestServer.start(dataDir)) {
            String token = first.rest().accessToken();
            revoke(ParleyServer.DEMO_CONNECTOR_ID, dataDir);
            await().atMost(PICKED_UP).until(() -> createSession(first.rest(), token).statusCode() == 401);
        }
        try (TestServer second = TestServer.start(dataDir)) {
            Rest rest = second.rest();
            assertThat(createSession(rest, rest.accessToken()).statusCode()).isEqualTo(200);
        }
    }

    // ---- the admin CLI, run against the server's data directory --------------------------------

    private String createConnector() {
        String out = cli("admin", "connector", "create", "--host", HOST, "--data-dir", server.dataDir().toString());
        Matcher m = Pattern.compile("Created connector (con_\\S+) .*\\RToken: (pct_\\S+)").matcher(out);
        assertThat(m.find()).as("connector and token in %s", out).isTrue();
        tokens.put(m.group(1), m.group(2));
        return m.group(1);
    }

    private String tokenOf(String connectorId) {
        return tokens.get(connectorId);
    }

    private void revoke(String connectorId) {
        revoke(connectorId, server.dataDir());
    }

    private void revoke(String connectorId, Path dataDir) {
        assertThat(cli("admin", "connector", "revoke", connectorId, "--data-dir", dataDir.toString()))
                .contains("Revoked connector " + connectorId);
    }

    /** The `parley` command as its main method builds it: a store of its own on the data directory. */
    private String cli(String... args) {
        CliContext context = new CliContext(c -> StoreFactory.open(TestStores.apply(c)), new ConfigLoader(cliConfigDir.resolve("parley.yaml")),
                Map.of(), Clock.systemUTC(), new SecureRandom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as("exit code; stderr: %s", err).isZero();
        return out.toString();
    }

    private static HttpResponse<String> createSession(Rest rest, String accessToken) {
        return rest.post("/api/v1/sessions",
                Map.of("Authorization", "Bearer " + accessToken, "Content-Type", "application/json"), "{}");
    }
}
