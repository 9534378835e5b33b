package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes of a fresh cluster are started together (a deploy starts them all at once): each creates
 * the demo connector and the demo live agent if missing, and the nodes that lose that race must
 * start anyway (one once failed on the live agent's primary key).
 */
class NodesStartingTogetherTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    @Test
    void threeNodesStartedAtOnceOnAnEmptyDatabaseAllStartAndShareOneDemoAgent() throws Exception {
        InMemoryFanOut.Hub hub = new InMemoryFanOut.Hub();
        ExecutorService starters = Executors.newFixedThreadPool(3);
        CyclicBarrier together = new CyclicBarrier(3);
        List<CompletableFuture<TestServer>> starting = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return TestServer.start(dir.resolve(name), c -> c.withStore(db.storeConfig())
                        .withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC(), hub.node());
            }, starters));
        }
        List<TestServer> nodes = new ArrayList<>();
        try {
            for (CompletableFuture<TestServer> node : starting) {
                nodes.add(node.join());
            }
            for (TestServer node : nodes) {
                assertThat(node.rest().get("/readyz").statusCode()).isEqualTo(200);
            }
            // One demo agent for all: it logs in through any node.
            assertThat(nodes.get(2).rest().post("/desk/api/login", java.util.Map.of("Content-Type", "application/json"),
                    "{\"name\":\"Sarah\",\"password\":\"parley-demo\"}").statusCode()).isEqualTo(200);
            // And one demo supervisor, Maria, with the same password.
            var maria = nodes.get(1).rest().post("/desk/api/login", java.util.Map.of("Content-Type", "application/json"),
                    "{\"name\":\"Maria\",\"password\":\"parley-demo\"}");
            assertThat(maria.statusCode()).isEqualTo(200);
            assertThat(maria.body()).contains("\"role\":\"SUPERVISOR\"");
        } finally {
            nodes.forEach(TestServer::close);
            starters.shutdownNow();
            hub.close();
        }
    }
}
