package dev.parley.client;

import static dev.parley.client.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing releases every thread the SDK started, the JDK HTTP client's included. */
class LeakTest {
    @TempDir
    Path dataDir;

    @Test
    void closingTheClientLeavesNoSdkOrHttpClientThreadsBehind() {
        try (TestServer server = TestServer.start(dataDir)) {
            Set<Thread> before = sdkThreads();
            ParleyClient client = ParleyClient.create(options(server).streaming(true).build());
            RecordingListener listener = new RecordingListener();
            Conversation conversation = client.start(listener);
            await().atMost(Fixtures.WAIT).until(() -> listener.hasAgentMessageStartingWith("Hi, I'm Ada"));
            conversation.send("hours");
            assertThat(sdkThreads()).isNotEqualTo(before);

            client.close();

            assertThat(conversation.state()).isEqualTo(ConnectionState.CLOSED);
            // Java 17's HttpClient has no close(): its selector thread ends once the client is
            // unreachable, which the SDK allows by dropping it; the GC call lets that be seen.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                System.gc();
                Set<Thread> left = sdkThreads();
                left.removeAll(before); // threads of earlier tests may end meanwhile; only new ones count
                assertThat(left).extracting(Thread::getName).isEmpty();
            });
        }
    }

    /** Live threads named like the SDK's or the JDK HTTP client's. */
    private static Set<Thread> sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("parley-client") || t.getName().startsWith("HttpClient"))
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
