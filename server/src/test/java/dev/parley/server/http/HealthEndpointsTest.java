package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ParleyServer;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.fanout.RedisFanOut;
import dev.parley.server.testing.RedisServer;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TcpProxy;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code /healthz} and {@code /readyz} name the dependency that is down; without Redis a node is degraded, still ready. */
class HealthEndpointsTest {
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final RedisFanOut.Settings FAST = new RedisFanOut.Settings(Duration.ofMillis(100),
            Duration.ofMillis(600), Duration.ofMillis(20), Duration.ofMillis(200), 1000);

    @TempDir
    Path dir;

    @Test
    void aSingleNodeAnswersOkOnBothWithTheBodyItAlwaysHad() {
        try (TestServer server = TestServer.start(dir)) {
            Rest rest = server.rest();
            for (String path : new String[] {"/healthz", "/readyz"}) {
                HttpResponse<String> response = rest.get(path);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}"); // as single nodes always answered
            }
        }
    }

    @Test
    void withRedisUnreachableTheNodeIsDegradedButReadyAndKeepsServingThenOkAgainWhenRedisReturns() {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", redis.port());
             ParleyServer node = ParleyServer.start(ParleyConfig.DEFAULTS.withPort(0).withDataDir(dir)
                     .withStreamChunkDelay(Duration.ZERO), Clock.systemUTC(),
                     () -> RedisFanOut.connect("redis://127.0.0.1:" + proxy.port(), FAST))) {
            Rest rest = new Rest("http://127.0.0.1:" + node.port());
            await().atMost(Duration.ofSeconds(5)).until(() -> status(rest, "/healthz").equals("ok"));
            assertThat(Rest.json(rest.get("/healthz")).at("/dependencies/fanout/kind").asText()).isEqualTo("redis");

            proxy.stall(); // Redis silently unreachable: only the self-ping can tell
            proxy.refuseNew();

            await().atMost(Duration.ofSeconds(5)).until(() -> status(rest, "/healthz").equals("degraded"));
            HttpResponse<String> ready = rest.get("/readyz");
            JsonNode body = Rest.json(ready);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(body.get("status").asText()).isEqualTo("degraded");
            assertThat(body.get("down")).extracting(JsonNode::asText).containsExactly("fanout");
            assertThat(body.at("/dependencies/fanout/up").asBoolean()).isFalse();
            assertThat(body.at("/dependencies/fanout/essential").asBoolean()).isFalse();
            String token = rest.accessToken();
            String session = rest.createSession(token, false);
            try (WsClient socket = WsClient.connect("http://127.0.0.1:" + node.port(), session, token, null)) {
                socket.replay();
                socket.join(); // still serving: journaled, then echoed
                assertThat(socket.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN").path("sequence").asLong()).isEqualTo(2);
            }

            proxy.heal();

            await().atMost(Duration.ofSeconds(5)).until(() -> status(rest, "/readyz").equals("ok"));
        }
    }

    private static String status(Rest rest, String path) {
        return Rest.json(rest.get(path)).get("status").asText();
    }
}
