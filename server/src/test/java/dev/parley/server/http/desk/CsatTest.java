package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.ParleyServer;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.operator.OperatorKeyHasher;
import dev.parley.server.store.ApiKey;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.WsClient;
import dev.parley.server.webhooks.WebhookDeliverySettings;
import dev.parley.server.webhooks.WebhookEventType;
import dev.parley.server.webhooks.WebhookReceiver;
import dev.parley.server.webhooks.WebhookSecrets;
import dev.parley.server.webhooks.WebhookSubscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSAT end to end on a real node with the desk on: Sarah takes a conversation over her desk socket
 * and ends it, the user rates it over {@code POST /api/v1/sessions/{id}/csat}, and the rating is
 * read back, delivered as a signed {@code csat.given} webhook, exported by the operator API, shown in
 * the desk's history and counted on {@code /metrics}. And every refusal, with its status and text.
 */
@BothStores
class CsatTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final WebhookDeliverySettings FAST = new WebhookDeliverySettings(3, Duration.ofMillis(20),
            Duration.ofMillis(100), Duration.ofSeconds(2), 4, Duration.ofMillis(20), Duration.ofSeconds(5));
    private static final String OPERATOR_KEY = "pok_csat-test-key-0123456789abcdefghijklmnop";

    @TempDir
    Path dir;
    DeskTestNode node;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (RuntimeException e) {
                // already closed
            }
        }
        if (node != null) {
            node.close();
        }
    }

    private static final DeskAgent MARIA = new DeskAgent("agt_maria", ParleyServer.DEMO_CONNECTOR_ID, "Maria", null,
            List.of(), 3, DeskAgent.Role.SUPERVISOR);

    private void start() {
        node = new DeskTestNode(dir.resolve("data"), DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS), null, List.of(MARIA),
                Clock.systemUTC(), c -> c.withWebhooks(FAST));
    }

    @Test
    void aUserRatesTheConversationOnceAfterTheLiveAgentEndedItAndEveryoneWhoShouldSeesIt() throws Exception {
        start();
        WebhookReceiver receiver = new WebhookReceiver("not yet known");
        open.add(receiver);
        receiver.secret(subscribe(receiver.url()));
        String key = operatorKey();
        DeskClient sarah = sarah();
        WsClient user = liveAgentConversation(sarah);
        String id = user.sessionId();
        String token = user.accessToken();
        sarah.next("desk.assigned");
        sarah.send(DeskClient.command("desk.send").put("session_id", id).put("text", "Sarah here, how can I help?"));
        user.nextOfType("EVENT_TYPE_LIVE_AGENT_MESSAGE");
        end(sarah, user);

        HttpResponse<String> given = post(id, token, "{\"rating\": 4, \"comment\": \"Quick and kind\"}");

        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        JsonNode rating = Rest.json(given);
        assertThat(rating.path("rating").asInt()).isEqualTo(4);
        assertThat(rating.path("comment").asText()).isEqualTo("Quick and kind");
        Instant at = Instant.parse(rating.path("created_at").asText());
        HttpResponse<String> read = get(id, node.rest().accessToken()); // any token of the connector
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Rest.json(read)).isEqualTo(rating);
        assertThat(read.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<String> again = post(id, token, "{\"rating\": 1}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Rest.json(again).path("error").asText()).isEqualTo("rating already given");

        // The webhook: once, signed, with who was rated.
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().stream()
                .anyMatch(r -> "csat.given".equals(r.event())));
        List<WebhookReceiver.Received> csat = receiver.received().stream().filter(r -> "csat.given".equals(r.event())).toList();
        assertThat(csat).hasSize(1);
        assertThat(csat.get(0).signatureValid()).isTrue();
        JsonNode body = Json.MAPPER.readTree(csat.get(0).body());
        assertThat(body.path("type").asText()).isEqualTo("csat.given");
        assertThat(body.path("session_id").asText()).isEqualTo(id);
        assertThat(body.path("connector_id").asText()).isEqualTo("con_demo");
        assertThat(Instant.parse(body.path("created_at").asText())).isEqualTo(at);
        assertThat(body.path("data")).isEqualTo(Json.MAPPER.readTree(
                "{\"rating\":4,\"comment\":\"Quick and kind\",\"queue\":\"support\",\"agent_id\":\"agt_sarah\"}"));

        // The operator API: in the listing, the session, and every transcript format.
        JsonNode listed = Rest.json(operator("/api/v1/operator/sessions", key)).path("sessions").get(0);
        assertThat(listed.path("session_id").asText()).isEqualTo(id);
        JsonNode expected = Json.MAPPER.createObjectNode().put("rating", 4).put("comment", "Quick and kind")
                .put("agent_id", "agt_sarah").put("queue", "support").put("created_at", rating.path("created_at").asText());
        assertThat(listed.path("csat")).isEqualTo(expected);
        assertThat(Rest.json(operator("/api/v1/operator/sessions/" + id, key)).path("csat")).isEqualTo(expected);
        assertThat(Rest.json(operator("/api/v1/operator/sessions/" + id + "/transcript", key)).path("session").path("csat"))
                .isEqualTo(expected);
        assertThat(operator("/api/v1/operator/sessions/" + id + "/transcript?format=text", key).body())
                .contains("CSAT: 4/5 for live agent agt_sarah (support)", "CSAT comment: Quick and kind");
        assertThat(operator("/api/v1/operator/sessions/" + id + "/transcript?format=html", key).body())
                .contains("<dt>CSAT</dt><dd>4/5 for live agent agt_sarah (support)", "Quick and kind");

        // The desk's history view of the conversation.
        HttpResponse<String> history = node.desk().call("GET", "/desk/api/history/" + id,
                node.desk().token("Sarah", DeskTestNode.PASSWORD), null);
        assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
        assertThat(Rest.json(history).path("csat")).isEqualTo(expected);

        // The meters, per queue and agent: the wait, the handling, the first reply, the rating.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(node.rest().get("/metrics").body())
                .containsPattern("(?m)^parley_desk_wait_seconds_count\\{outcome=\"assigned\",queue=\"support\"\\} 1$")
                .containsPattern("(?m)^parley_desk_handling_seconds_count\\{agent=\"agt_sarah\",queue=\"support\"\\} 1$")
                .containsPattern("(?m)^parley_desk_first_response_seconds_count\\{agent=\"agt_sarah\",queue=\"support\"\\} 1$"));
        assertThat(node.rest().get("/metrics").body())
                .containsPattern("(?m)^parley_desk_csat_count\\{agent=\"agt_sarah\",queue=\"support\"\\} 1$")
                .containsPattern("(?m)^parley_desk_csat_sum\\{agent=\"agt_sarah\",queue=\"support\"\\} 4\\.0$")
                .containsPattern("(?m)^parley_desk_csat_bucket\\{agent=\"agt_sarah\",queue=\"support\",le=\"3\\.0\"\\} 0$")
                .containsPattern("(?m)^parley_desk_csat_bucket\\{agent=\"agt_sarah\",queue=\"support\",le=\"4\\.0\"\\} 1$");

        // The supervisor's Team view: Sarah's and the queue's first response and rating.
        String maria = node.desk().token("Maria", DeskTestNode.PASSWORD);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode overview = Rest.json(node.desk().call("GET", "/desk/api/supervisor/overview", maria, null));
            JsonNode support = java.util.stream.StreamSupport.stream(overview.path("queues").spliterator(), false)
                    .filter(q -> q.path("name").asText().equals("support")).findFirst().orElseThrow();
            JsonNode agent = java.util.stream.StreamSupport.stream(overview.path("agents").spliterator(), false)
                    .filter(a -> a.path("id").asText().equals("agt_sarah")).findFirst().orElseThrow();
            assertThat(support.path("average_rating").asDouble()).isEqualTo(4.0);
            assertThat(agent.path("average_rating").asDouble()).isEqualTo(4.0);
            assertThat(support.path("average_first_response_seconds").isIntegralNumber()).as(support.toString()).isTrue();
            assertThat(agent.path("average_first_response_seconds").isIntegralNumber()).as(agent.toString()).isTrue();
        });
    }

    @Test
    void onlyTheConnectorsEndedLiveAgentConversationsCanBeRatedAndBadRequestsAreRefusedAsDocumented() {
        start();
        DeskClient sarah = sarah();
        WsClient live = liveAgentConversation(sarah);
        String token = live.accessToken();
        String id = live.sessionId();

        // Authentication as for session creation (PROTOCOL.md §2.2), before anything else.
        assertRefused(send("POST", id, null, "{\"rating\": 5}"), 400, "Missing access token");
        assertRefused(send("POST", id, "Basic abc", "{\"rating\": 5}"), 401, "Missing authentication headers");
        assertRefused(send("POST", id, "Bearer not-a-token", "{\"rating\": 5}"), 401, "Invalid access token");
        assertRefused(send("GET", id, "Bearer not-a-token", null), 401, "Invalid access token");

        // Values, checked before the session is looked up.
        assertRefused(post(id, token, "not json"), 400, "Error parsing request");
        assertRefused(post(id, token, "[4]"), 400, "Error parsing request");
        assertRefused(post(id, token, ""), 400, "Error parsing request");
        for (String bad : List.of("{}", "{\"rating\": 0}", "{\"rating\": 6}", "{\"rating\": 4.5}", "{\"rating\": \"4\"}",
                "{\"rating\": null}")) {
            assertRefused(post(id, token, bad), 400, "rating must be an integer from 1 to 5");
        }
        assertRefused(post(id, token, "{\"rating\": 4, \"comment\": 7}"), 400,
                "comment must be a string of at most 1000 characters");
        assertRefused(post(id, token, "{\"rating\": 4, \"comment\": \"" + "x".repeat(1001) + "\"}"), 400,
                "comment must be a string of at most 1000 characters");

        // Which conversation: the connector's own, ended, and had by a live agent.
        assertRefused(post(id, token, "{\"rating\": 4}"), 409, "conversation has not ended");
        assertRefused(post("00000000-0000-4000-8000-000000000000", token, "{\"rating\": 4}"), 404, "session not found");
        assertRefused(get("00000000-0000-4000-8000-000000000000", token), 404, "session not found");
        WsClient aiOnly = greetedUser();
        aiOnly.sendType("EVENT_TYPE_USER_END_SESSION");
        aiOnly.nextOfType("EVENT_TYPE_SESSION_END");
        assertRefused(post(aiOnly.sessionId(), aiOnly.accessToken(), "{\"rating\": 4}"), 409, "no rating for this conversation");
        end(sarah, live);
        assertRefused(get(id, token), 404, "no rating given");
        String foreign = foreignToken();
        assertRefused(post(id, foreign, "{\"rating\": 1}"), 404, "session not found");
        assertRefused(get(id, foreign), 404, "session not found");

        // A comment of 1000 characters (code points, emoji included) is fine; a blank one is none.
        String longest = "\uD83D\uDE00".repeat(500) + "y".repeat(500);
        HttpResponse<String> given = post(id, token, Json.MAPPER.createObjectNode().put("rating", 5)
                .put("comment", longest).toString());
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        assertThat(Rest.json(given).path("comment").asText()).isEqualTo(longest);
    }

    @Test
    void aBlankCommentIsStoredAsNoneAndTheWidgetsOriginMayCallTheRoute() {
        start();
        DeskClient sarah = sarah();
        WsClient user = liveAgentConversation(sarah);
        end(sarah, user);

        HttpResponse<String> given = post(user.sessionId(), user.accessToken(), "{\"rating\": 2, \"comment\": \"   \"}");

        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        assertThat(Rest.json(given).path("comment").isNull()).isTrue();
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri(user.sessionId()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://shop.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization");
        HttpResponse<String> read = send(HttpRequest.newBuilder(uri(user.sessionId())).GET()
                .header("Origin", "https://shop.example.com").header("Authorization", "Bearer " + user.accessToken()));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains("https://shop.example.com");
    }

    // ---- set-up helpers ------------------------------------------------------------------------

    private DeskClient sarah() {
        DeskClient sarah = node.connectAgent("Sarah");
        open.add(sarah);
        assertThat(sarah.next().path("type").asText()).isEqualTo("desk.snapshot");
        return sarah;
    }

    private WsClient greetedUser() {
        WsClient user = node.newSession();
        open.add(user);
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        return user;
    }

    /** A user the demo flow handed to support, where Sarah (available) got them. */
    private WsClient liveAgentConversation(DeskClient sarah) {
        WsClient user = greetedUser();
        user.say("I want to talk to a person");
        user.nextOfType("EVENT_TYPE_LIVE_AGENT_JOINED");
        return user;
    }

    private static void end(DeskClient sarah, WsClient user) {
        sarah.send(DeskClient.command("desk.end").put("session_id", user.sessionId()));
        user.nextOfType("EVENT_TYPE_SESSION_END");
    }

    /** A subscription to csat.given (and session starts, which the test ignores) of the demo connector; its secret. */
    private String subscribe(String url) {
        String secret = WebhookSecrets.newSecret(new SecureRandom());
        WebhookSecrets secrets = new WebhookSecrets(ContextKeySealer.fromServerSecret(
                JwtSecret.forConfig(node.server().config()), new SecureRandom()));
        try (NodeStore store = node.server().openStore()) {
            store.webhooks().addSubscription(new WebhookSubscription("whs_csat", url,
                    Set.of(WebhookEventType.CSAT_GIVEN, WebhookEventType.SESSION_STARTED), "con_demo",
                    secrets.seal("whs_csat", secret), Instant.now()));
        }
        return secret;
    }

    /** An operator API key the node accepts (it reads new keys within about a second). */
    private String operatorKey() {
        try (NodeStore store = node.server().openStore()) {
            store.operators().createApiKey(new ApiKey("opk_csat", "csat test",
                    OperatorKeyHasher.forConfig(node.server().config()).hash(OPERATOR_KEY), Instant.now(), null));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> operator("/api/v1/operator/sessions?limit=1", OPERATOR_KEY)
                .statusCode() == 200);
        return OPERATOR_KEY;
    }

    /** An access token of another connector of the same node. */
    private String foreignToken() {
        try (NodeStore store = node.server().openStore()) {
            store.createConnector(new Connector("con_other", node.server().connectorTokenHash("pct_other"), "example.com",
                    Instant.now(), null));
        }
        return node.rest().accessToken("pct_other", "example.com");
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private URI uri(String sessionId) {
        return URI.create(node.baseUrl() + "/api/v1/sessions/" + sessionId + "/csat");
    }

    private HttpResponse<String> post(String sessionId, String token, String body) {
        return send("POST", sessionId, "Bearer " + token, body);
    }

    private HttpResponse<String> get(String sessionId, String token) {
        return send("GET", sessionId, "Bearer " + token, null);
    }

    private HttpResponse<String> send(String method, String sessionId, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(sessionId))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private HttpResponse<String> operator(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().header("Authorization", "Bearer " + key));
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

    private static void assertRefused(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Rest.json(response).path("error").asText()).isEqualTo(error);
    }
}
