package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.StoreFactory;
import dev.parley.server.agent.webhook.TestBot;
import dev.parley.server.agent.webhook.TestBot.Response;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.cli.StoreOpener;
import dev.parley.server.config.AgentsConfig;
import dev.parley.server.config.AgentsConfig.Kind;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.Secret;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.ContextTokens;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Verified context injection end to end: keys added with the admin CLI, tokens signed with a real
 * JWT library as a site's backend would, submitted over REST, and the context read back from what
 * a real webhook bot was sent (it answers with the context it saw) over a raw WebSocket.
 */
class VerifiedContextTest {
    private static final String BOT_SECRET = "context-secret";
    private static final String OTHER_CONNECTOR = "con_other";

    @TempDir
    Path dir;
    private TestBot bot;
    private TestServer server;
    private String siteSecret;
    private String otherSecret;

    /** Answers every turn with the context it was given, so the user sees what the agent saw. */
    private static Response contextBot(TestBot.Request request) {
        return Response.json("{\"messages\":[{\"text\":" + new com.fasterxml.jackson.databind.node.TextNode(
                "ctx=" + request.body().path("context")) + "}]}");
    }

    @BeforeEach
    void keysAndServer() {
        try (NodeStore store = TestStores.open(dir)) {
            store.upsertConnector(new Connector("con_demo", "replaced-at-start", "localhost", Instant.EPOCH, null));
            store.upsertConnector(new Connector(OTHER_CONNECTOR, "other-hash", "other.example", Instant.EPOCH, null));
        }
        siteSecret = secretFrom(cli("admin", "connector", "context-key", "add", "con_demo", "--kid", "site-1"));
        otherSecret = secretFrom(cli("admin", "connector", "context-key", "add", OTHER_CONNECTOR, "--kid", "other-1"));
        bot = TestBot.start(BOT_SECRET, VerifiedContextTest::contextBot);
        start();
    }

    private void start() {
        AgentsConfig.Webhook hook = new AgentsConfig.Webhook(bot.url(), null, null, new Secret(BOT_SECRET),
                Duration.ofSeconds(5), 1, "Hook", null, 10);
        server = TestServer.start(dir, c -> c.withAgents(AgentsConfig.DEFAULTS.withDefault(Kind.WEBHOOK).withWebhook(hook)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (bot != null) {
            bot.close();
        }
    }

    // ---- accepted --------------------------------------------------------------------------

    @Test
    void sessionStartCarriesARandomContextIdPerSession() {
        try (WsClient a = server.newSession(false); WsClient b = server.newSession(false)) {
            String first = contextId(a);
            String second = contextId(b);
            assertThat(first).matches("ctx_[0-9a-f]{32}");
            assertThat(second).matches("ctx_[0-9a-f]{32}").isNotEqualTo(first);
        }
    }

    @Test
    void aVerifiedContextIsAcceptedAndSentToTheAgentOnTheNextTurn() {
        try (WsClient ws = joined()) {
            HttpResponse<String> answer = submit(ws, sign("site-1", siteSecret, contextIdOf(ws),
                    Map.of("plan", "gold", "user_id", "u-42", "vip", true, "orders", 3)));

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = Rest.json(answer);
            assertThat(body.path("verified").asBoolean()).isTrue();
            assertThat(body.path("context_id").asText()).isEqualTo(contextIdOf(ws));
            assertThat(agentSaw(ws, "hello")).isEqualTo(Map.of("plan", "gold", "user_id", "u-42", "vip", true, "orders", 3));
        }
    }

    @Test
    void aRefreshReplacesTheWholeContextLastWriteWins() {
        try (WsClient ws = joined()) {
            submitOk(ws, sign("site-1", siteSecret, contextIdOf(ws), Map.of("plan", "gold", "user_id", "u-42")));
            submitOk(ws, sign("site-1", siteSecret, contextIdOf(ws), Map.of("plan", "silver")));

            assertThat(agentSaw(ws, "hello")).isEqualTo(Map.of("plan", "silver"));
        }
    }

    @Test
    void theVerifiedContextIsKeptAcrossARestart() {
        String sessionId;
        String accessToken;
        String contextId;
        try (WsClient ws = joined()) {
            contextId = contextIdOf(ws);
            submitOk(ws, sign("site-1", siteSecret, contextId, Map.of("plan", "gold")));
            sessionId = ws.sessionId();
            accessToken = ws.accessToken();
        }
        server.close();
        start();

        try (WsClient again = WsClient.connect(server.baseUrl(), sessionId, accessToken, null)) {
            assertThat(again.replay().get(0).path("payload").path("context_id").asText()).isEqualTo(contextId);
            assertThat(agentSaw(again, "still there?")).isEqualTo(Map.of("plan", "gold"));
        }
    }

    // ---- refused, and the conversation goes on ---------------------------------------------

    @Test
    void anExpiredTokenIsRefusedAndTheConversationGoesOn() {
        Instant past = Instant.now().minusSeconds(120);
        assertRefused(ctxId -> sign("site-1", siteSecret, ctxId, past, past.plusSeconds(20), Map.of("plan", "gold")),
                "Error: Context token has expired");
    }

    @Test
    void aTokenLivingLongerThanThirtySecondsIsRefused() {
        Instant now = Instant.now();
        assertRefused(ctxId -> sign("site-1", siteSecret, ctxId, now, now.plusSeconds(31), Map.of("plan", "gold")),
                "Error: Context token lifetime exceeds 30 seconds");
    }

    @Test
    void aForgedSignatureIsRefusedAndTheEarlierContextStays() {
        try (WsClient ws = joined()) {
            submitOk(ws, sign("site-1", siteSecret, contextIdOf(ws), Map.of("plan", "gold")));
            String forged = sign("site-1", "a-guess-at-the-secret-that-is-long-enough-0123", contextIdOf(ws),
                    Map.of("plan", "platinum"));

            assertRefusal(submit(ws, forged), "Error: Context token signature is invalid");
            assertThat(agentSaw(ws, "hello")).isEqualTo(Map.of("plan", "gold"));
        }
    }

    @Test
    void anUnknownKidIsRefused() {
        assertRefused(ctxId -> sign("nobody", siteSecret, ctxId, Map.of("plan", "gold")),
                "Error: Unknown context key for this connector");
    }

    @Test
    void anotherConnectorsKeyIsRefused() {
        assertRefused(ctxId -> sign("other-1", otherSecret, ctxId, Map.of("plan", "gold")),
                "Error: Unknown context key for this connector");
    }

    @Test
    void aTokenForAnotherSessionsContextIdIsRefused() {
        try (WsClient other = server.newSession(false)) {
            String theirs = contextId(other);
            assertRefused(ctxId -> sign("site-1", siteSecret, theirs, Map.of("plan", "gold")),
                    "Error: Context token is for another conversation");
        }
    }

    @Test
    void aCtxOverEightKilobytesIsRefused() {
        assertRefused(ctxId -> sign("site-1", siteSecret, ctxId, Map.of("notes", "x".repeat(8200))),
                "Error: Context token ctx exceeds 8192 bytes");
    }

    @Test
    void aNestedCtxIsRefused() {
        assertRefused(ctxId -> sign("site-1", siteSecret, ctxId, Map.of("user", Map.of("id", "u-42"))),
                "Error: Context token ctx must be a flat object of strings, numbers and booleans");
    }

    @Test
    void aKeyRemovedWithTheCliStopsWorkingAtOnce() {
        try (WsClient ws = joined()) {
            submitOk(ws, sign("site-1", siteSecret, contextIdOf(ws), Map.of("plan", "gold")));
            assertThat(cli("admin", "connector", "context-key", "remove", "con_demo", "site-1"))
                    .contains("Removed context key site-1");

            assertRefusal(submit(ws, sign("site-1", siteSecret, contextIdOf(ws), Map.of("plan", "silver"))),
                    "Error: Unknown context key for this connector");
        }
    }

    @Test
    void anotherConnectorsAccessTokenCannotSetTheContextNorLearnTheSessionExists() {
        try (NodeStore store = TestStores.open(dir)) { // a second process, like the admin CLI
            store.upsertConnector(new Connector(OTHER_CONNECTOR, server.connectorTokenHash("other-token"), "localhost",
                    Instant.EPOCH, null));
        }
        String otherAccess = server.rest().accessToken("other-token", "localhost");
        try (WsClient ws = joined()) {
            HttpResponse<String> answer = server.rest().post("/api/v1/sessions/" + ws.sessionId() + "/context",
                    Map.of("Authorization", "Bearer " + otherAccess, "Content-Type", "application/json"),
                    "{\"token\":\"" + sign("other-1", otherSecret, contextIdOf(ws), Map.of("plan", "gold")) + "\"}");

            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(Rest.json(answer).path("error").asText()).isEqualTo("Error: Session not found");
            assertThat(agentSaw(ws, "hello")).isEmpty();
        }
    }

    @Test
    void aSubmissionWithoutAValidAccessTokenIsRefused() {
        try (WsClient ws = joined()) {
            HttpResponse<String> answer = server.rest().post("/api/v1/sessions/" + ws.sessionId() + "/context",
                    Map.of("Authorization", "Bearer not-a-token", "Content-Type", "application/json"),
                    "{\"token\":\"" + sign("site-1", siteSecret, contextIdOf(ws), Map.of("plan", "gold")) + "\"}");
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(agentSaw(ws, "hello")).isEmpty();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private final Map<WsClient, String> contextIds = new LinkedHashMap<>();

    /** A session whose agent has joined and greeted; its context id read from the replay. */
    private WsClient joined() {
        WsClient ws = server.newSession(false);
        contextIds.put(ws, contextId(ws));
        ws.join();
        ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
        ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
        ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
        return ws;
    }

    private String contextIdOf(WsClient ws) {
        return contextIds.get(ws);
    }

    private static String contextId(WsClient ws) {
        JsonNode start = ws.replay().get(0);
        assertThat(start.path("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
        return start.path("payload").path("context_id").asText();
    }

    /** What the agent was given as context when answering {@code text}. */
    private static Map<String, Object> agentSaw(WsClient ws, String text) {
        ws.say(text);
        String reply = ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE").path("payload").path("text").asText();
        assertThat(reply).startsWith("ctx=");
        try {
            return dev.parley.protocol.codec.Json.MAPPER.readValue(reply.substring(4),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new AssertionError(reply, e);
        }
    }

    private void assertRefused(java.util.function.Function<String, String> token, String message) {
        try (WsClient ws = joined()) {
            assertRefusal(submit(ws, token.apply(contextIdOf(ws))), message);
            // Fails open: the conversation goes on, without context.
            assertThat(agentSaw(ws, "hello")).isEmpty();
        }
    }

    private static void assertRefusal(HttpResponse<String> answer, String message) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(Rest.json(answer).path("error").asText()).isEqualTo(message);
    }

    private HttpResponse<String> submit(WsClient ws, String token) {
        return ContextTokens.submit(server.rest(), ws, token);
    }

    private void submitOk(WsClient ws, String token) {
        HttpResponse<String> answer = submit(ws, token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static String sign(String kid, String secret, String sub, Map<String, Object> ctx) {
        return ContextTokens.sign(kid, secret, sub, ctx);
    }

    private static String sign(String kid, String secret, String sub, Instant iat, Instant exp, Map<String, Object> ctx) {
        return ContextTokens.sign(kid, secret, sub, iat, exp, ctx);
    }

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        StoreOpener<NodeStore> opener = c -> StoreFactory.open(TestStores.apply(c));
        CliContext context = new CliContext(opener, new ConfigLoader(dir.resolve("parley.yaml")),
                Map.of("PARLEY_DATA_DIR", dir.toString()), Clock.systemUTC(), new SecureRandom(),
                new java.io.ByteArrayInputStream(new byte[0]), 4);
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as(err.toString()).isZero();
        return out.toString();
    }

    private static String secretFrom(String output) {
        Matcher m = Pattern.compile("Secret: (\\S+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }
}
