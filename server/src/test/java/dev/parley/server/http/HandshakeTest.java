package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket handshake (PROTOCOL.md §3.1–3.3, §13.16, §13.18, §13.21): every refusal is a plain
 * HTTP answer to the upgrade request with a JSON error body, and a refused client never sees an
 * event. Refusals are read twice: through the JDK WebSocket client (status only) and through a raw
 * socket (status, headers, body, and what follows on the connection).
 */
@ParleyTest
@BothStores
class HandshakeTest {
    private static final String OTHER_TOKEN = "pct_other-connector-token";

    static TestServer server;
    static Rest rest;

    @BeforeAll
    static void start() {
        rest = server.rest();
        try (NodeStore store = TestStores.open(server.dataDir())) {
            store.createConnector(new Connector("con_other", server.connectorTokenHash(OTHER_TOKEN), "example.com",
                    Instant.now(), null));
        }
    }

    // ---- a raw upgrade request ---------------------------------------------------------------

    /**
     * What the server answered to an upgrade request, and everything the connection carried after
     * that answer up to the answer to a follow-up {@code GET /healthz} (or the server closing).
     */
    record RawAnswer(int status, Map<String, String> headers, String body, String after) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static String query(String sessionId, String accessToken) {
        StringBuilder q = new StringBuilder();
        if (sessionId != null) {
            q.append("session_id=").append(URLEncoder.encode(sessionId, StandardCharsets.UTF_8)).append('&');
        }
        if (accessToken != null) {
            q.append("access_token=").append(URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    /** Sends a WebSocket upgrade for {@code /ws?query} over a plain socket; every read is bounded. */
    static RawAnswer rawUpgrade(TestServer target, String query) {
        try (Socket socket = new Socket("127.0.0.1", target.port())) {
            socket.setSoTimeout((int) WsClient.WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String hostHeader = "Host: 127.0.0.1:" + target.port() + "\r\n";
            out.write(("GET /ws?" + query + " HTTP/1.1\r\n" + hostHeader
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String head = readHead(in);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            if (status == 101) {
                return new RawAnswer(status, headers, "", "");
            }
            String length = headers.get("content-length");
            assertThat(length).as("Content-Length of a refused upgrade, headers %s", headers).isNotNull();
            String body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
            return new RawAnswer(status, headers, body, followUp(out, in, hostHeader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asks for {@code /healthz} on the same connection and reads until the server closes it. If
     * anything (an event, a frame) were sent after the refusal, it would come before that answer.
     */
    private static String followUp(OutputStream out, InputStream in, String hostHeader) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        try {
            out.write(("GET /healthz HTTP/1.1\r\n" + hostHeader + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                rest.write(buffer, 0, n);
            }
        } catch (IOException closedByServer) {
            // The server may close the connection after a refused upgrade; then nothing followed.
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed inside the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII).trim();
    }

    /**
     * A refused upgrade: the status, a JSON {@code {"error": message}} body, and nothing after it on
     * the connection except (possibly) the answer to the follow-up health check.
     */
    static RawAnswer assertRefused(RawAnswer answer, int status, String message) {
        assertThat(answer.status()).as("status; body %s", answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.json()).isEqualTo(Json.MAPPER.createObjectNode().put("error", message));
        assertThat(answer.header("Upgrade")).as("Upgrade header of a refusal").isNull();
        assertNothingDelivered(answer);
        return answer;
    }

    static void assertNothingDelivered(RawAnswer answer) {
        if (!answer.after().isEmpty()) {
            assertThat(answer.after()).as("what followed the refusal").startsWith("HTTP/1.1 200")
                    .contains("{\"status\":\"ok\"") // PostgreSQL mode lists the store's health after it
                    .endsWith("}");
        }
    }

    /** The JDK client sees the same refusal status. */
    static void assertJdkClientRefused(TestServer target, String sessionId, String accessToken, int status) {
        assertThat(WsClient.refusedStatus(target.baseUrl(), sessionId, accessToken, null)).isEqualTo(status);
    }

    // ---- §3.2 refusals -----------------------------------------------------------------------

    @Test
    void missingSessionIdIsInvalidConnectionParameters() {
        String token = rest.accessToken();
        assertRefused(rawUpgrade(server, query(null, token)), 400, "invalid connection parameters");
        assertJdkClientRefused(server, null, token, 400);
    }

    @Test
    void missingAccessTokenIsInvalidConnectionParameters() {
        String sessionId = rest.createSession(rest.accessToken(), false);
        assertRefused(rawUpgrade(server, query(sessionId, null)), 400, "invalid connection parameters");
        assertJdkClientRefused(server, sessionId, null, 400);
    }

    @Test
    void missingBothParametersIsInvalidConnectionParameters() {
        assertRefused(rawUpgrade(server, ""), 400, "invalid connection parameters");
        assertJdkClientRefused(server, null, null, 400);
    }

    @Test
    void emptyParametersAreInvalidConnectionParameters() {
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        assertRefused(rawUpgrade(server, query("", token)), 400, "invalid connection parameters");
        assertRefused(rawUpgrade(server, query(sessionId, "")), 400, "invalid connection parameters");
    }

    @ParameterizedTest(name = "access_token {0} fails authentication")
    @ValueSource(strings = {"garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."})
    void invalidAccessTokenFailsAuthentication(String token) {
        String sessionId = rest.createSession(rest.accessToken(), false);
        assertRefused(rawUpgrade(server, query(sessionId, token)), 401, "authentication failed");
        assertJdkClientRefused(server, sessionId, token, 401);
    }

    @ParameterizedTest(name = "session_id {0} is not found")
    @ValueSource(strings = {"random-uuid", "not-a-uuid", "../../etc/passwd", "01a213fe-858b-71d4-8028-422f3357a289"})
    void unknownSessionIsNotFound(String sessionId) {
        String id = sessionId.equals("random-uuid") ? UUID.randomUUID().toString() : sessionId;
        String token = rest.accessToken();
        assertRefused(rawUpgrade(server, query(id, token)), 404, "session not found");
        assertJdkClientRefused(server, id, token, 404);
    }

    @Test
    void tokenOfAnotherConnectorFailsAuthenticationForAnExistingSession() {
        String sessionId = rest.createSession(rest.accessToken(), false);
        String otherToken = rest.accessToken(OTHER_TOKEN, "https://chat.example.com");

        assertRefused(rawUpgrade(server, query(sessionId, otherToken)), 401, "authentication failed");
        assertJdkClientRefused(server, sessionId, otherToken, 401);
    }

    @Test
    void anotherValidTokenOfTheSameConnectorIsAccepted() {
        String sessionId = rest.createSession(rest.accessToken(), false);
        try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, rest.accessToken(), null)) {
            assertThat(ws.replay().get(0).path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
        }
    }

    @Test
    void rawUpgradeWithValidParametersSwitchesProtocols() {
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        RawAnswer answer = rawUpgrade(server, query(sessionId, token));
        assertThat(answer.status()).isEqualTo(101);
        assertThat(answer.header("Upgrade")).isEqualToIgnoringCase("websocket");
    }

    @ParameterizedTest(name = "cursor {0} is not a reason to refuse")
    @ValueSource(strings = {"abc", "-5", "seq:x", "0"})
    void unparseableCursorIsNotRefusedAndReplaysEverything(String cursor) {
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, cursor)) {
            List<JsonNode> replay = ws.replay();
            assertThat(replay).isNotEmpty();
            assertThat(replay.get(0).path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
        }
    }

    @Test
    void expiredAccessTokenFailsAuthenticationForALiveSession(@TempDir Path own) {
        MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
        // Sessions outlive the token here, so the refusal can only be about the token.
        try (TestServer timed = TestServer.start(own, c -> c.withTimeouts(Duration.ofDays(3), Duration.ofDays(3)), clock)) {
            Rest client = timed.rest();
            String token = client.accessToken();
            String sessionId = client.createSession(token, false);

            clock.advance(Duration.ofHours(24).minusSeconds(1));
            try (WsClient ws = WsClient.connect(timed.baseUrl(), sessionId, token, null)) {
                ws.replay();
            }

            clock.advance(Duration.ofSeconds(1));
            assertRefused(rawUpgrade(timed, query(sessionId, token)), 401, "authentication failed");
            assertJdkClientRefused(timed, sessionId, token, 401);

            try (WsClient ws = WsClient.connect(timed.baseUrl(), sessionId, client.accessToken(), null)) {
                assertThat(ws.replay().get(0).path("type").asText()).as("a fresh token still gets in")
                        .isEqualTo("EVENT_TYPE_SESSION_START");
            }
        }
    }

    // ---- §3.3 / §13.21 connection limit ------------------------------------------------------

    @Test
    void eleventhConcurrentConnectionIsRefusedUntilOneOfTheTenCloses() {
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, null);
                open.add(ws);
                ws.replay();
            }

            RawAnswer refused = assertRefused(rawUpgrade(server, query(sessionId, token)),
                    429, "connection limit exceeded for session");
            assertThat(refused.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
            try {
                WsClient.connect(server.baseUrl(), sessionId, token, null).close();
                throw new AssertionError("11th connection was accepted");
            } catch (WsClient.HandshakeRefused e) {
                assertThat(e.status()).isEqualTo(429);
                assertThat(e.header("Retry-After")).isNotNull();
            }

            // The ten are unaffected by the refusals.
            open.forEach(WsClient::assertNoMoreEvents);

            open.remove(0).close();
            AtomicReference<WsClient> replacement = new AtomicReference<>();
            await().atMost(WsClient.WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> {
                        replacement.set(WsClient.connect(server.baseUrl(), sessionId, token, null));
                        return true;
                    });
            open.add(replacement.get());
            assertThat(replacement.get().replay().get(0).path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");

            // Ten again: the limit still holds.
            assertRefused(rawUpgrade(server, query(sessionId, token)), 429, "connection limit exceeded for session");
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void limitCountsPerSessionNotPerServer() {
        String token = rest.accessToken();
        String full = rest.createSession(token, false);
        String other = rest.createSession(token, false);
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(WsClient.connect(server.baseUrl(), full, token, null));
            }
            assertJdkClientRefused(server, full, token, 429);
            WsClient ws = WsClient.connect(server.baseUrl(), other, token, null);
            open.add(ws);
            assertThat(ws.replay()).isNotEmpty();
        } finally {
            open.forEach(WsClient::close);
        }
    }

    // ---- refused handshakes deliver nothing ---------------------------------------------------

    @Test
    void refusedHandshakesNeverDeliverAnEventAndLeaveTheSessionUntouched() {
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        String otherToken = rest.accessToken(OTHER_TOKEN, "example.com");

        try (WsClient watcher = WsClient.connect(server.baseUrl(), sessionId, token, null)) {
            assertThat(watcher.replay()).hasSize(1);

            for (RawAnswer answer : List.of(
                    rawUpgrade(server, query(sessionId, null)),
                    rawUpgrade(server, query(sessionId, "garbage")),
                    rawUpgrade(server, query(sessionId, otherToken)),
                    rawUpgrade(server, query(UUID.randomUUID().toString(), token)))) {
                assertThat(answer.status()).isBetween(400, 499);
                assertThat(answer.body()).doesNotContain("EVENT_TYPE");
                assertNothingDelivered(answer);
            }

            // The session saw no traffic from them: a new connection replays only SESSION_START
            // and the watcher got nothing.
            watcher.assertNoMoreEvents();
            try (WsClient again = WsClient.connect(server.baseUrl(), sessionId, token, null)) {
                List<JsonNode> replay = again.replay();
                assertThat(replay).hasSize(1);
                assertThat(replay.get(0).path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
            }
        }
    }
}
