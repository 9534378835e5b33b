package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.AccessTokens;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.config.ParleyConfig.RateLimit;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST surface (PROTOCOL.md §2, §13.16, §13.19, §13.20, §13.26, §13.30) over a real HTTP
 * client: every documented status and error string, and the JSON shape of every answer.
 */
@ParleyTest(config = "fastHttpRates")
@BothStores
class RestApiTest {
    private static final String ACCESS_TOKEN = "/api/v1/access-token";
    private static final String SESSIONS = "/api/v1/sessions";

    /** Registered to {@code example.com}, so its subdomains are accepted. */
    private static final String SHOP_TOKEN = "pct_shop-connector-token";
    private static final String NO_HOST_TOKEN = "pct_no-host-connector-token";
    private static final String REVOKED_TOKEN = "pct_revoked-connector-token";

    static TestServer server;
    static Rest rest;

    // Generous HTTP rates: this class makes many requests with the demo token in a burst.
    static ParleyConfig fastHttpRates(ParleyConfig c) {
        return c.withRates(c.sessionMessageRate(), new RateLimit(1000, 1000));
    }

    @BeforeAll
    static void start() {
        rest = server.rest();
        try (NodeStore store = TestStores.open(server.dataDir())) {
            Instant now = Instant.now();
            store.createConnector(new Connector("con_shop", server.connectorTokenHash(SHOP_TOKEN), "example.com", now, null));
            store.createConnector(new Connector("con_nohost", server.connectorTokenHash(NO_HOST_TOKEN), null, now, null));
            store.createConnector(new Connector("con_revoked", server.connectorTokenHash(REVOKED_TOKEN), "example.com",
                    now.minus(Duration.ofDays(1)), now.minus(Duration.ofMinutes(1))));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static void assertJson(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type").hasValue("application/json");
    }

    /** Status, JSON content type and a body that is exactly {@code {"error": message}}. */
    static void assertError(HttpResponse<String> response, int status, String message) {
        assertJson(response, status);
        assertThat(Rest.json(response)).isEqualTo(Json.MAPPER.createObjectNode().put("error", message));
    }

    /** An error body with a non-empty message, for answers whose wording is not documented. */
    static void assertSomeError(HttpResponse<String> response, int status) {
        assertJson(response, status);
        JsonNode body = Rest.json(response);
        assertThat(body.size()).as("fields of %s", body).isEqualTo(1);
        assertThat(body.path("error").isTextual()).as("error of %s", body).isTrue();
        assertThat(body.path("error").asText()).isNotBlank();
    }

    static HttpResponse<String> tokenRequest(Map<String, String> headers) {
        return rest.post(ACCESS_TOKEN, headers, "{}");
    }

    static HttpResponse<String> createSession(Rest client, String authorization, String body) {
        Map<String, String> headers = new HashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return client.post(SESSIONS, headers, body);
    }

    static HttpResponse<String> createSession(String authorization, String body) {
        return createSession(rest, authorization, body);
    }

    static String bearer() {
        return "Bearer " + rest.accessToken();
    }

    static String sessionIdOf(HttpResponse<String> response) {
        assertJson(response, 200);
        JsonNode body = Rest.json(response);
        assertThat(body.size()).as("fields of %s", body).isEqualTo(1);
        String id = body.path("session_id").asText();
        assertThat(UUID.fromString(id).toString()).as("session_id is a UUID").isEqualTo(id);
        return id;
    }

    /** {@code capabilities.streaming} of the session's SESSION_START, read over a real WebSocket. */
    static boolean streamingAdvertised(String sessionId, String accessToken) {
        try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, accessToken, null)) {
            JsonNode start = ws.replay().get(0);
            assertThat(start.path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
            JsonNode streaming = start.path("payload").path("capabilities").path("streaming");
            assertThat(streaming.isBoolean()).as("capabilities.streaming of %s", start).isTrue();
            return streaming.booleanValue();
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode decodePart(String part) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Base64.getUrlDecoder().decode(part));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---- §2.1 POST /api/v1/access-token -------------------------------------------------------

    @Nested
    class AccessToken {
        @Test
        void demoConnectorGetsABearerJwtValidForADay() {
            HttpResponse<String> response = rest.requestAccessToken(TestServer.TOKEN, TestServer.HOST);

            assertJson(response, 200);
            JsonNode body = Rest.json(response);
            assertThat(body.size()).as("fields of %s", body).isEqualTo(3);
            assertThat(body.path("access_token").asText().split("\\.", -1))
                    .as("a JWT is three dot-separated parts").hasSize(3)
                    .allSatisfy(part -> assertThat(part).isNotEmpty());
            assertThat(body.path("expires_in").isIntegralNumber()).isTrue();
            assertThat(body.path("expires_in").asLong()).isEqualTo(86400);
            assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        }

        @Test
        void twoRequestsGetTwoDifferentTokens() {
            assertThat(rest.accessToken()).isNotEqualTo(rest.accessToken());
        }

        @Test
        void missingXTokenIsRefusedAsMissingAuthenticationHeaders() {
            assertError(tokenRequest(Map.of("X-Host", TestServer.HOST, "Content-Type", "application/json")),
                    401, "Missing authentication headers");
        }

        @Test
        void missingXHostIsRefusedAsMissingAuthenticationHeaders() {
            assertError(tokenRequest(Map.of("X-Token", TestServer.TOKEN, "Content-Type", "application/json")),
                    401, "Missing authentication headers");
        }

        @Test
        void missingBothHeadersIsRefusedAsMissingAuthenticationHeaders() {
            assertError(tokenRequest(Map.of("Content-Type", "application/json")), 401, "Missing authentication headers");
        }

        @Test
        void unknownConnectorTokenDoesNotExist() {
            assertError(rest.requestAccessToken("pct_nobody-has-this-token", TestServer.HOST),
                    401, "Connector token does not exist");
        }

        @Test
        void revokedConnectorTokenIsReportedAsNotExisting() {
            assertError(rest.requestAccessToken(REVOKED_TOKEN, "example.com"), 401, "Connector token does not exist");
        }

        @Test
        void hostOtherThanTheRegisteredOneFailsToValidateTheConnector() {
            assertError(rest.requestAccessToken(TestServer.TOKEN, "https://www.example.org"),
                    401, "Failed to validate connector");
        }

        @ParameterizedTest(name = "X-Host {0} is accepted for example.com")
        @ValueSource(strings = {"example.com", "https://example.com", "https://shop.example.com",
            "https://a.b.example.com/chat", "SHOP.Example.COM"})
        void registeredHostAndItsSubdomainsAreAccepted(String host) {
            HttpResponse<String> response = rest.requestAccessToken(SHOP_TOKEN, host);
            assertJson(response, 200);
            assertThat(Rest.json(response).path("token_type").asText()).isEqualTo("Bearer");
        }

        @ParameterizedTest(name = "X-Host {0} is refused for example.com")
        @ValueSource(strings = {"evilexample.com", "https://evilexample.com", "example.com.evil.net", "example.org"})
        void hostsThatOnlyLookLikeTheRegisteredOneFailToValidate(String host) {
            assertError(rest.requestAccessToken(SHOP_TOKEN, host), 401, "Failed to validate connector");
        }

        @Test
        void connectorWithoutAHostIsRefusedAsMissingHostDomain() {
            assertError(rest.requestAccessToken(NO_HOST_TOKEN, "example.com"), 401, "Connector missing host domain");
        }

        @Test
        void requestBodyIsIgnored() {
            HttpResponse<String> response = rest.post(ACCESS_TOKEN,
                    Map.of("X-Token", TestServer.TOKEN, "X-Host", TestServer.HOST), "this is not JSON");
            assertJson(response, 200);
            assertThat(Rest.json(response).path("token_type").asText()).isEqualTo("Bearer");
        }

        @Test
        void storeFailureWhileLookingUpTheConnectorIsFailedToCreateAccessToken(@TempDir Path own) throws Exception {
            try (TestServer broken = TestServer.start(own)) {
                // Breaks the connector lookup for real: the table the server reads is gone.
                try (java.sql.Connection c = broken.jdbc(); java.sql.Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE connectors RENAME TO connectors_gone");
                }
                assertError(broken.rest().requestAccessToken(TestServer.TOKEN, TestServer.HOST),
                        500, "Failed to create access token");
            }
        }
    }

    // ---- §2.2 POST /api/v1/sessions -----------------------------------------------------------

    @Nested
    class Sessions {
        @Test
        void omittedBodyCreatesAWebSessionWithoutStreaming() {
            String token = rest.accessToken();
            String sessionId = sessionIdOf(createSession("Bearer " + token, null));
            assertThat(streamingAdvertised(sessionId, token)).isFalse();
        }

        @Test
        void emptyObjectBodyCreatesASessionWithoutStreaming() {
            String token = rest.accessToken();
            String sessionId = sessionIdOf(createSession("Bearer " + token, "{}"));
            assertThat(streamingAdvertised(sessionId, token)).isFalse();
        }

        @Test
        void streamingIosSessionAdvertisesStreamingInItsSessionStart() {
            String token = rest.accessToken();
            String sessionId = sessionIdOf(createSession("Bearer " + token,
                    "{\"streaming_enabled\":true,\"platform\":\"ios\"}"));
            assertThat(streamingAdvertised(sessionId, token)).isTrue();
        }

        @Test
        void everySessionGetsItsOwnId() {
            String authorization = bearer();
            assertThat(sessionIdOf(createSession(authorization, "{}")))
                    .isNotEqualTo(sessionIdOf(createSession(authorization, "{}")));
        }

        @ParameterizedTest(name = "platform {0} is accepted")
        @ValueSource(strings = {"web", "ios", "android", "ios-web", "android-web", "custom"})
        void everyDocumentedPlatformIsAccepted(String platform) {
            sessionIdOf(createSession(bearer(), "{\"platform\":\"" + platform + "\"}"));
        }

        @Test
        void unknownFieldsAreIgnored() {
            sessionIdOf(createSession(bearer(),
                    "{\"platform\":\"web\",\"streaming_enabled\":false,\"locale\":\"en-GB\",\"extra\":{\"a\":[1,2]}}"));
        }

        @Test
        void missingAuthorizationIsMissingAccessToken() {
            assertError(createSession(null, "{}"), 400, "Missing access token");
        }

        @Test
        void basicAuthorizationIsMissingAuthenticationHeaders() {
            assertError(createSession("Basic x", "{}"), 401, "Missing authentication headers");
        }

        @Test
        void bareTokenWithoutBearerSchemeIsMissingAuthenticationHeaders() {
            assertError(createSession(rest.accessToken(), "{}"), 401, "Missing authentication headers");
        }

        @Test
        void garbageBearerTokenIsInvalid() {
            assertError(createSession("Bearer not-a-jwt", "{}"), 401, "Invalid access token");
        }

        @Test
        void tokenWithATamperedPayloadIsInvalid() {
            String[] parts = rest.accessToken().split("\\.");
            ObjectNode claims = decodePart(parts[1]);
            claims.put("sub", "con_shop");
            String forged = parts[0] + "." + base64Url(claims.toString()) + "." + parts[2];
            assertError(createSession("Bearer " + forged, "{}"), 401, "Invalid access token");
        }

        @Test
        void unsignedTokenIsInvalid() {
            String[] parts = rest.accessToken().split("\\.");
            String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
            assertError(createSession("Bearer " + unsigned, "{}"), 401, "Invalid access token");
        }

        @Test
        void tokenSignedWithAnotherSecretIsInvalid() {
            byte[] otherSecret = new byte[32];
            new SecureRandom().nextBytes(otherSecret);
            String foreign = new AccessTokens(otherSecret, Duration.ofHours(24), Clock.systemUTC(), new SecureRandom())
                    .issue(new Connector("con_demo", "x", "localhost", Instant.now(), null)).token();
            assertError(createSession("Bearer " + foreign, "{}"), 401, "Invalid access token");
        }

        @Test
        void accessTokenIsRefusedOnceItsDayIsOver(@TempDir Path own) {
            MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
            try (TestServer timed = TestServer.start(own, c -> c, clock)) {
                Rest client = timed.rest();
                String authorization = "Bearer " + client.accessToken();

                clock.advance(Duration.ofHours(24).minusSeconds(1));
                sessionIdOf(createSession(client, authorization, "{}"));

                clock.advance(Duration.ofSeconds(1));
                assertError(createSession(client, authorization, "{}"), 401, "Invalid access token");
            }
        }

        @ParameterizedTest(name = "body {0} is a parse error")
        @ValueSource(strings = {"{", "not json", "{\"streaming_enabled\":true", "[]", "\"web\"", "true", "null",
            "{\"streaming_enabled\":true} {\"platform\":\"ios\"}", "{} trailing"})
        void bodyThatIsNotOneJsonObjectIsAParseError(String body) {
            assertError(createSession(bearer(), body), 400, "Error parsing request");
        }

        @ParameterizedTest(name = "body {0} is a parse error")
        @ValueSource(strings = {"{\"streaming_enabled\":\"yes\"}", "{\"streaming_enabled\":1}",
            "{\"streaming_enabled\":\"true\"}", "{\"platform\":42}", "{\"platform\":[\"web\"]}"})
        void wrongFieldTypesAreParseErrors(String body) {
            assertError(createSession(bearer(), body), 400, "Error parsing request");
        }

        @ParameterizedTest(name = "platform {0} is a parse error")
        @ValueSource(strings = {"windows", "WEB", "", "ios_web"})
        void unknownPlatformIsAParseError(String platform) {
            assertError(createSession(bearer(), "{\"platform\":\"" + platform + "\"}"), 400, "Error parsing request");
        }

        @Test
        void oversizedBodyIsRefusedInJson() {
            String body = "{\"platform\":\"web\",\"padding\":\"" + "x".repeat(20 * 1024) + "\"}";
            assertSomeError(createSession(bearer(), body), 413);
        }

        @Test
        void storeFailureWhileCreatingIsFailedToCreateSession() {
            // A correctly signed token for a connector the store does not know: the session row
            // cannot reference it, so the insert fails inside the store.
            ParleyConfig config = ParleyConfig.DEFAULTS.withDataDir(server.dataDir());
            String ghost = new AccessTokens(JwtSecret.forConfig(config), Duration.ofHours(1), Clock.systemUTC(),
                    new SecureRandom()).issue(new Connector("con_ghost", "x", "localhost", Instant.now(), null)).token();
            assertError(createSession("Bearer " + ghost, "{}"), 500, "Failed to create session");
        }
    }

    // ---- §13.26 rate limits ------------------------------------------------------------------

    @Nested
    class RateLimits {
        private TestServer throttled(Path own) {
            return TestServer.start(own, c -> c.withRates(c.sessionMessageRate(), new RateLimit(0.001, 2)));
        }

        private static void assertTooMany(HttpResponse<String> response) {
            assertSomeError(response, 429);
            assertThat(response.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            assertThat(response.headers().firstValue("Retry-After").get()).matches("[1-9][0-9]*");
        }

        @Test
        void accessTokenRequestsBeyondTheBurstGet429WithRetryAfter(@TempDir Path own) {
            try (TestServer s = throttled(own)) {
                Rest client = s.rest();
                assertJson(client.requestAccessToken(TestServer.TOKEN, TestServer.HOST), 200);
                assertJson(client.requestAccessToken(TestServer.TOKEN, TestServer.HOST), 200);
                assertTooMany(client.requestAccessToken(TestServer.TOKEN, TestServer.HOST));
            }
        }

        @Test
        void oneVisitorSpendingTheConnectorTokensBudgetLeavesOtherAddressesTheirOwn(@TempDir Path own) throws Exception {
            try (TestServer s = throttled(own)) {
                Rest client = s.rest();
                assertJson(client.requestAccessToken(TestServer.TOKEN, TestServer.HOST), 200);
                assertJson(client.requestAccessToken(TestServer.TOKEN, TestServer.HOST), 200);
                assertTooMany(client.requestAccessToken(TestServer.TOKEN, TestServer.HOST));

                // Another visitor of the same page (same public connector token), from another address.
                assertThat(accessTokenStatusFrom("127.0.0.2", s.port())).isEqualTo(200);
            }
        }

        /** POST /api/v1/access-token over a socket bound to {@code source}, another loopback address. */
        private int accessTokenStatusFrom(String source, int port) throws java.io.IOException {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.bind(new java.net.InetSocketAddress(source, 0));
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(10_000);
                String request = "POST /api/v1/access-token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "X-Token: " + TestServer.TOKEN + "\r\nX-Host: " + TestServer.HOST + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(
                        socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                return Integer.parseInt(statusLine.split(" ")[1]);
            }
        }

        @Test
        void sessionRequestsBeyondTheBurstGet429WithRetryAfter(@TempDir Path own) {
            try (TestServer s = throttled(own)) {
                Rest client = s.rest();
                String authorization = "Bearer " + client.accessToken();
                sessionIdOf(createSession(client, authorization, "{}"));
                sessionIdOf(createSession(client, authorization, "{}"));
                assertTooMany(createSession(client, authorization, "{}"));
            }
        }
    }

    // ---- §13.30 paths and methods -------------------------------------------------------------

    @Nested
    class Routing {
        @ParameterizedTest(name = "GET {0} is 404")
        @ValueSource(strings = {"/api/v1/nothing", "/api/v2/sessions", "/nope"})
        void unknownPathIsNotFoundInJson(String path) {
            assertSomeError(rest.get(path), 404);
        }

        @Test
        void unknownPathIsNotFoundForPostsToo() {
            assertSomeError(rest.post("/api/v1/access-tokens", Map.of("Content-Type", "application/json"), "{}"), 404);
        }

        @ParameterizedTest(name = "GET {0} is 405")
        @ValueSource(strings = {SESSIONS, ACCESS_TOKEN})
        void getOnARestEndpointIsMethodNotAllowedInJson(String path) {
            assertSomeError(rest.get(path), 405);
        }

        @Test
        void plainGetOnTheWebSocketPathIsABadRequestInJson() {
            assertSomeError(rest.get("/ws"), 400);
        }

        @Test
        void plainGetOnTheWebSocketPathWithValidParametersIsStillABadRequest() {
            String token = rest.accessToken();
            String sessionId = rest.createSession(token, false);
            assertSomeError(rest.get("/ws?session_id=" + sessionId + "&access_token=" + token), 400);
        }
    }
}
