package dev.parley.server.http.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.operator.OperatorKeyHasher;
import dev.parley.server.operator.OperatorKeys;
import dev.parley.server.session.CloseCodes;
import dev.parley.server.store.postgres.PostgresStore;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure through a node that does not own the session (issue 14 on several nodes): the owner
 * sees the erasure within about a second and closes its sockets, a follower's sockets close too,
 * and no node serves the session id again.
 */
class SeveralNodesErasureTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;
    private final InMemoryFanOut.Hub hub = new InMemoryFanOut.Hub();
    private final List<TestServer> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(TestServer::close);
        hub.close();
    }

    private TestServer node(String name) {
        TestServer node = TestServer.start(dir.resolve(name), c -> c.withStore(db.storeConfig())
                .withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8)).withDesk(DeskConfig.DISABLED)
                .withLeases(ParleyConfig.Leases.DEFAULTS), Clock.systemUTC(), hub.node());
        nodes.add(node);
        return node;
    }

    @Test
    void erasingThroughAnotherNodeClosesTheOwnersAndTheFollowersSockets() throws Exception {
        TestServer a = node("a");
        TestServer b = node("b");
        String key;
        try (PostgresStore store = PostgresStore.open(db.storeConfig())) {
            key = new OperatorKeys(store.operators(), OperatorKeyHasher.fromServerSecret(
                    JWT_SECRET.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC()).issue("privacy", new SecureRandom()).key();
        }
        try (WsClient owner = a.newSession(false)) {
            owner.replay();
            owner.join();
            owner.nextOfType("EVENT_TYPE_POLY_AGENT_JOINED");
            try (WsClient follower = WsClient.connect(b.baseUrl(), owner.sessionId(), owner.accessToken(), null)) {
                follower.replay();

                HttpResponse<String> erased = await().atMost(Duration.ofSeconds(15)).until(
                        () -> delete(b, "/api/v1/operator/sessions/" + owner.sessionId(), key), r -> r.statusCode() != 401);

                assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(15)).until(() -> owner.isClosed() && follower.isClosed());
                assertThat(owner.awaitClose()).as("the owner learnt of it").isIn(CloseCodes.POLICY_VIOLATION,
                        CloseCodes.SERVICE_RESTART);
                for (TestServer node : nodes) {
                    assertThat(WsClient.refusedStatus(node.baseUrl(), owner.sessionId(), owner.accessToken(), null))
                            .isEqualTo(404);
                }
            }
        }
    }

    private static HttpResponse<String> delete(TestServer node, String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
