package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue requirement: a server process killed with SIGKILL right after echoes were received loses
 * none of them on restart. The server runs as a separate JVM ({@code parley serve}), so the kill
 * is real: no shutdown hook, no flush, no close.
 */
class DurabilityTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** Kept when the test fails, so the servers' logs ({@code first.log}, {@code second.log}) can be read. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killServers() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void echoedEventsSurviveASigkillAndTheSessionContinuesAfterRestart() throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        int port = freePort();
        Process first = serve(dataDir, port, "first");
        String baseUrl = "http://127.0.0.1:" + port;
        Rest rest = new Rest(baseUrl);
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);

        Map<String, JsonNode> echoes = new LinkedHashMap<>();
        WsClient ws = WsClient.connect(baseUrl, sessionId, token, null);
        ws.replay();
        ws.join();
        ws.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
        ws.next("EVENT_TYPE_POLY_AGENT_JOINED");
        for (int i = 0; i < 30; i++) {
            ws.say("durable message " + i, "dur-" + i);
        }
        // Collect the 30 echoes; agent output in between may or may not be stored yet.
        while (echoes.size() < 30) {
            JsonNode frame = ws.next();
            if (frame.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE")) {
                echoes.put(frame.path("metadata").path("custom").path("client_event_id").asText(), frame);
            }
        }
        first.destroyForcibly(); // SIGKILL on Linux, right after the last echo arrived
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by a signal").isNotZero();
        ws.abort();

        serve(dataDir, port, "second");
        try (WsClient again = WsClient.connect(baseUrl, sessionId, token, "0")) {
            List<JsonNode> replay = replayAll(again);
            for (int i = 0; i < replay.size(); i++) {
                assertThat(replay.get(i).path("sequence").asLong()).as("sequence at %d", i).isEqualTo(i + 1);
            }
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            replay.forEach(e -> byId.put(e.path("id").asText(), e));
            for (Map.Entry<String, JsonNode> echo : echoes.entrySet()) {
                JsonNode stored = byId.get(echo.getValue().path("id").asText());
                assertThat(stored).as("echo %s after restart", echo.getKey()).isNotNull();
                assertThat(stored.path("sequence").asLong()).isEqualTo(echo.getValue().path("sequence").asLong());
                assertThat(stored.path("payload").path("text").asText())
                        .isEqualTo(echo.getValue().path("payload").path("text").asText());
                assertThat(stored.path("payload").path("message_id").asText())
                        .isEqualTo(echo.getValue().path("payload").path("message_id").asText());
            }
            long last = replay.get(replay.size() - 1).path("sequence").asLong();

            again.say("are you still there?", "after-restart");
            JsonNode echo = again.nextOfType("EVENT_TYPE_USER_MESSAGE");
            assertThat(echo.path("metadata").path("custom").path("client_event_id").asText()).isEqualTo("after-restart");
            // The restarted node may first append the replies to messages the kill left unanswered.
            assertThat(echo.path("sequence").asLong()).as("a later sequence").isGreaterThan(last);
            JsonNode reply = again.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            assertThat(reply.path("sequence").asLong()).isGreaterThan(echo.path("sequence").asLong());

            // Replay after the old head: the new events follow without a gap.
            try (WsClient reader = WsClient.connect(baseUrl, sessionId, token, String.valueOf(last))) {
                List<JsonNode> after = replayAll(reader);
                assertThat(after).extracting(e -> e.path("id").asText())
                        .contains(echo.path("id").asText(), reply.path("id").asText());
                for (int i = 0; i < after.size(); i++) {
                    assertThat(after.get(i).path("sequence").asLong()).isEqualTo(last + 1 + i);
                }
            }
        }
    }

    /**
     * Issue 9, item 9, through the real shutdown hook of {@code parley serve}: SIGTERM closes the
     * socket with 1012 (not 1000, which official mobile SDKs take as "conversation over"), after the
     * echo of what was accepted; the restarted server has it.
     */
    @Test
    void sigtermClosesSocketsWithServiceRestartAndKeepsWhatWasEchoed() throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        int port = freePort();
        Process first = serve(dataDir, port, "first");
        String baseUrl = "http://127.0.0.1:" + port;
        Rest rest = new Rest(baseUrl);
        String token = rest.accessToken();
        String sessionId = rest.createSession(token, false);
        WsClient ws = WsClient.connect(baseUrl, sessionId, token, null);
        ws.replay();
        ws.join();
        ws.say("one more question after the redeploy", "before-sigterm"); // not a goodbye: that would end the session
        JsonNode echo = ws.nextOfType("EVENT_TYPE_USER_MESSAGE");

        first.destroy(); // SIGTERM: the JVM runs the shutdown hook

        assertThat(ws.awaitClose()).as("close code").isEqualTo(dev.parley.server.session.CloseCodes.SERVICE_RESTART);
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the server exited").isTrue();

        serve(dataDir, port, "second");
        try (WsClient again = WsClient.connect(baseUrl, sessionId, token, "0")) {
            List<JsonNode> replay = replayAll(again);
            assertThat(replay).extracting(e -> e.path("id").asText()).contains(echo.path("id").asText());
        }
    }

    /** Reads every replay batch: batches end when a heartbeat probe comes back. */
    private static List<JsonNode> replayAll(WsClient ws) {
        List<JsonNode> events = new ArrayList<>(ws.replay());
        ws.send("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":{\"custom\":{\"probe\":\"replay\"}}}");
        while (true) {
            JsonNode frame = ws.next();
            if (frame.path("type").asText().equals("EVENT_TYPE_EVENT_BATCH")) {
                frame.path("payload").path("events").forEach(events::add);
            } else if (frame.path("metadata").path("custom").path("probe").asText().equals("replay")) {
                return events;
            }
        }
    }

    private Process serve(Path dataDir, int port, String name) throws IOException {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "dev.parley.server.cli.ParleyCommand",
                "serve", "--port", String.valueOf(port), "--data-dir", dataDir.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
        Process process = builder.start();
        processes.add(process);
        Rest rest = new Rest("http://127.0.0.1:" + port);
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                .failFast("server exited, see " + log, () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> rest.get("/healthz").statusCode() == 200);
        return process;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
