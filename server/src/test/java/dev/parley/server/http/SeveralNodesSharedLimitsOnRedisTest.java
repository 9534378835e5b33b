package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.FanOutConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.config.ParleyConfig.RateLimit;
import dev.parley.server.fanout.RedisFanOut;
import dev.parley.server.limits.RedisLimits;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.RedisServer;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TcpProxy;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request limits of issue 11 on two or three nodes with one PostgreSQL and a real Redis between them:
 * a client spreading its requests over both spends one budget, as on one node. Redis is reached
 * through a {@link TcpProxy}, so a test can make it unreachable: each node then enforces the limit
 * on its own (traffic flows, nothing is unlimited) and the limit is shared again once Redis answers.
 * Budgets refill at one token per 1000 s, so nothing refills while a test runs; every client is
 * 127.0.0.1, so the per-address budgets a test is not about are generous.
 */
class SeveralNodesSharedLimitsOnRedisTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final RedisFanOut.Settings FAST = new RedisFanOut.Settings(Duration.ofMillis(100),
            Duration.ofMillis(600), Duration.ofMillis(20), Duration.ofMillis(200), 1000);
    /** Forgiving of a loaded machine (a late answer must not count on Redis and then be ignored), quick to retry. */
    private static final RedisLimits.Settings LIMITS = new RedisLimits.Settings(Duration.ofSeconds(5),
            Duration.ofMillis(200), 4096);
    private static final RateLimit GENEROUS = new RateLimit(1_000, 1_000);
    private static final String WRONG = "not-the-password";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TcpProxy proxy;

    @BeforeEach
    void emptyRedis() {
        redis.stop(); // comes back empty: no count of an earlier test is left
        redis.start();
        proxy = TcpProxy.to("127.0.0.1", redis.port());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        proxy.close();
    }

    private TestServer node(String name, UnaryOperator<ParleyConfig> tweak) {
        String url = "redis://127.0.0.1:" + proxy.port();
        TestServer node = TestServer.start(dir.resolve(name), c -> tweak.apply(c.withStore(db.storeConfig())
                        .withJwtSecret("a-secret-every-node-shares-0123456789".getBytes(StandardCharsets.UTF_8))
                        .withDesk(DeskConfig.DISABLED)
                        .withFanOut(FanOutConfig.redis(url))),
                Clock.systemUTC(), RedisFanOut.connect(url, FAST), LIMITS);
        open.add(node);
        return node;
    }

    /** Two nodes whose HTTP budget (access tokens, sessions) is {@code burst} per key. */
    private List<TestServer> twoNodesWithHttpBurst(int burst) {
        UnaryOperator<ParleyConfig> rates = c -> c.withRates(c.sessionMessageRate(), new RateLimit(0.001, burst));
        return List.of(node("a", rates), node("b", rates));
    }

    @Test
    void sessionsCreatedWithOneAccessTokenOnThreeNodesSpendOneBudget() {
        UnaryOperator<ParleyConfig> rates = c -> c.withRates(c.sessionMessageRate(), new RateLimit(0.001, 4));
        List<TestServer> nodes = List.of(node("a", rates), node("b", rates), node("c", rates));
        String token = nodes.get(0).rest().accessToken();

        for (int i = 0; i < 4; i++) {
            assertThat(createSession(nodes.get(i % 3), token).statusCode()).as("session %d", i + 1).isEqualTo(200);
        }

        for (TestServer node : nodes) {
            HttpResponse<String> refused = createSession(node, token);
            assertThat(refused.statusCode()).as("the budget is spent on every node").isEqualTo(429);
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                    .as("one token back after 1000 s").isBetween(990L, 1000L);
        }
        assertThat(createSession(nodes.get(1), nodes.get(1).rest().accessToken()).statusCode())
                .as("another access token has its own budget").isEqualTo(200);
    }

    @Test
    void accessTokensForOneConnectorTokenAndAddressOnTwoNodesSpendOneBudget() {
        List<TestServer> nodes = twoNodesWithHttpBurst(3);
        for (int i = 0; i < 3; i++) {
            assertThat(accessToken(nodes.get(i % 2)).statusCode()).as("token %d", i + 1).isEqualTo(200);
        }

        HttpResponse<String> refused = accessToken(nodes.get(1));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Rest.json(refused).path("error").asText()).isEqualTo("Rate limit exceeded");
        assertThat(accessToken(nodes.get(0)).statusCode()).isEqualTo(429);
    }

    @Test
    void failedHandshakesWithOneTokenOnTwoNodesSpendOneBudget() {
        UnaryOperator<ParleyConfig> three = c -> c.withHandshakeFailureLimits(GENEROUS, new RateLimit(0.001, 3))
                .withRates(c.sessionMessageRate(), GENEROUS);
        TestServer a = node("a", three);
        TestServer b = node("b", three);
        String forged = "not-a-token";

        assertThat(WsClient.refusedStatus(a.baseUrl(), guess(), forged, null)).isEqualTo(401);
        assertThat(WsClient.refusedStatus(b.baseUrl(), guess(), forged, null)).isEqualTo(401);
        assertThat(WsClient.refusedStatus(a.baseUrl(), guess(), forged, null)).isEqualTo(401);

        assertThat(WsClient.refusedStatus(b.baseUrl(), guess(), forged, null)).as("the fourth, on B").isEqualTo(429);
        assertThat(WsClient.refusedStatus(a.baseUrl(), guess(), forged, null)).isEqualTo(429);
        String valid = a.rest().accessToken();
        String sessionId = a.rest().createSession(valid, false);
        try (WsClient ws = WsClient.connect(b.baseUrl(), sessionId, valid, null)) {
            assertThat(ws.replay().get(0).path("type").asText()).as("another token connects")
                    .isEqualTo("EVENT_TYPE_SESSION_START");
        }
    }

    @Test
    void wrongDeskPasswordsOnTwoNodesLockTheNameAsOnOne() {
        UnaryOperator<ParleyConfig> desk = c -> c.withDesk(DeskConfig.DEFAULTS); // demo agent Sarah / parley-demo
        TestServer a = node("a", desk);
        TestServer b = node("b", desk);
        for (int i = 0; i < 3; i++) {
            assertThat(login(a, "Sarah", WRONG).statusCode()).as("attempt %d on A", i + 1).isEqualTo(401);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(login(b, "Sarah", WRONG).statusCode()).as("attempt %d on B", i + 4).isEqualTo(401);
        }

        HttpResponse<String> onA = login(a, "Sarah", DeskConfig.DEFAULTS.demoAgentPassword());
        HttpResponse<String> onB = login(b, "Sarah", DeskConfig.DEFAULTS.demoAgentPassword());

        assertThat(onA.statusCode()).as("locked on A, even with the right password").isEqualTo(429);
        assertThat(Long.parseLong(onA.headers().firstValue("Retry-After").orElseThrow())).isBetween(880L, 900L);
        assertThat(Rest.json(onA).path("error").asText()).isEqualTo("too many failed log-ins; try again later");
        assertThat(onB.statusCode()).as("and on B").isEqualTo(429);
    }

    @Test
    void aSessionsFramesOnTwoNodesSpendOneMessageBudget() {
        // Already one budget before Redis shared anything: every frame passes through the owner's actor.
        UnaryOperator<ParleyConfig> four = c -> c.withRates(new RateLimit(0.001, 4), GENEROUS);
        TestServer a = node("a", four);
        TestServer b = node("b", four);
        awaitFanOut(a);
        awaitFanOut(b);
        WsClient onA = a.newSession(false); // A owns the session
        open.add(onA);
        onA.replay();
        WsClient onB = onA.reconnect(b.baseUrl(), null);
        open.add(onB);
        onB.replay();

        assertThat(heartbeat(onA, 1).path("type").asText()).isEqualTo("EVENT_TYPE_HEARTBEAT");
        assertThat(heartbeat(onB, 2).path("type").asText()).isEqualTo("EVENT_TYPE_HEARTBEAT");
        assertThat(heartbeat(onA, 3).path("type").asText()).isEqualTo("EVENT_TYPE_HEARTBEAT");
        assertThat(heartbeat(onB, 4).path("type").asText()).isEqualTo("EVENT_TYPE_HEARTBEAT");

        assertRateWarning(heartbeat(onB, 5));
        assertRateWarning(heartbeat(onA, 6));
    }

    @Test
    void whileRedisIsUnreachableEachNodeLimitsOnItsOwnAndServesThenTheLimitIsSharedAgain() {
        List<TestServer> nodes = twoNodesWithHttpBurst(3);
        TestServer a = nodes.get(0);
        TestServer b = nodes.get(1);
        String token = a.rest().accessToken();

        proxy.refuseNew();
        proxy.cutAll();

        for (TestServer node : nodes) {
            for (int i = 0; i < 3; i++) {
                assertThat(createSession(node, token).statusCode()).as("session %d while Redis is away", i + 1)
                        .isEqualTo(200);
            }
            assertThat(createSession(node, token).statusCode()).as("the node's own limit still holds").isEqualTo(429);
        }
        assertThat(metric(a, "parley_limits_shared_fallbacks_total")).isPositive();
        assertThat(metric(b, "parley_limits_shared_fallbacks_total")).isPositive();
        assertThat(metric(a, "parley_limits_shared_healthy")).isZero();

        proxy.heal();
        // Both nodes spent their own budget above: only Redis, which counted nothing then, can let these in.
        await().atMost(Duration.ofSeconds(10)).until(() -> createSession(a, token).statusCode() == 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> createSession(b, token).statusCode() == 200);
        assertThat(createSession(a, token).statusCode()).as("the third of the shared budget").isEqualTo(200);
        assertThat(createSession(b, token).statusCode()).as("shared again: spent over both nodes").isEqualTo(429);
        assertThat(createSession(a, token).statusCode()).isEqualTo(429);
        assertThat(metric(a, "parley_limits_shared_healthy")).isEqualTo(1);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static HttpResponse<String> createSession(TestServer node, String token) {
        return node.rest().post("/api/v1/sessions",
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"), "{}");
    }

    private static HttpResponse<String> accessToken(TestServer node) {
        return node.rest().requestAccessToken(TestServer.TOKEN, TestServer.HOST);
    }

    private static HttpResponse<String> login(TestServer node, String name, String password) {
        return node.rest().post("/desk/api/login", Map.of("Content-Type", "application/json"),
                "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}");
    }

    private static String guess() {
        return UUID.randomUUID().toString();
    }

    /** Sends a heartbeat numbered {@code n} and returns the answer to it. */
    private static JsonNode heartbeat(WsClient ws, int n) {
        ws.send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"n\":" + n + "}}}");
        JsonNode frame = ws.next();
        assertThat(frame.path("metadata").path("custom").path("n").asInt()).as("answer to %d: %s", n, frame).isEqualTo(n);
        return frame;
    }

    private static void assertRateWarning(JsonNode frame) {
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo("EVENT_TYPE_SYSTEM_MESSAGE");
        assertThat(frame.path("payload").path("level").asText()).isEqualTo("SYSTEM_MESSAGE_LEVEL_WARNING");
        assertThat(frame.path("payload").path("message").asText()).containsIgnoringCase("rate limit");
    }

    private static void awaitFanOut(TestServer node) {
        Rest rest = node.rest();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Rest.json(rest.get("/healthz")).get("status").asText().equals("ok"));
    }

    /** A meter's value in the node's Prometheus text. */
    private static double metric(TestServer node, String name) {
        String text = node.rest().get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
        assertThat(m.find()).as("%s in %s", name, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
