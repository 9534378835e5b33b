package dev.parley.server.jsclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript client ({@code parley-client.js}) in Node against a real Parley node: the Node
 * tests in {@code widget/src/test/js} cover receipts, resends stored once, reconnection from the
 * cursor without gap or double, stream reassembly, heartbeats, token renewal and refusals.
 */
class JsClientNodeTest {

    @Test
    void theNodeTestsOfTheJavaScriptClientPassAgainstARealServer(@TempDir Path dataDir, @TempDir Path logs) throws Exception {
        try (TestServer server = TestServer.start(dataDir, c -> c.withStreamChunkDelay(Duration.ofMillis(5)))) {
            String output = NodeRunner.runTests(Map.of(
                    "PARLEY_URL", server.baseUrl(),
                    "PARLEY_CONNECTOR_TOKEN", TestServer.TOKEN,
                    "PARLEY_HOST", TestServer.HOST), logs.resolve("node-test.log"));

            assertThat(output).as("node ran the tests").containsPattern("(?m)^\\S*\\s*pass [1-9]");
            assertThat(output).containsPattern("(?m)^\\S*\\s*fail 0");
        }
    }
}
