package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.desk.LoginLimits;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flood of parallel wrong log-ins, with the throttle opened wide so that every one of them
 * reaches bcrypt: they queue on the desk's own small pool (one thread, two waiting here), the rest
 * are refused at once, and a chat session's heartbeats are answered all along. Unknown names are
 * checked against the decoy hash at production cost, so each check is slow for real.
 */
class DeskLoginFloodTest {
    private static final Logger LOG = LoggerFactory.getLogger(DeskLoginFloodTest.class);
    private static final int FLOOD = 32;
    private static final LoginLimits WIDE_OPEN =
            new LoginLimits(10_000, 10_000, 10_000, Duration.ofMinutes(15), 30, 1, 2);

    @TempDir
    Path dir;
    DeskTestNode node;
    ExecutorService attackers = Executors.newFixedThreadPool(FLOOD);

    @BeforeEach
    void start() {
        // The probe sends heartbeats back to back: the session's own rate limit must not drop them.
        node = new DeskTestNode(dir, DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS).withLogin(WIDE_OPEN), null,
                List.of(), java.time.Clock.systemUTC(), c -> c.withRates(new ParleyConfig.RateLimit(10_000, 10_000), c.httpRate()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        attackers.shutdownNow();
        attackers.awaitTermination(10, TimeUnit.SECONDS);
        node.close();
    }

    @Test
    void aFloodOfParallelWrongLoginsIsRefusedBeyondTheBcryptQueueAndChatHeartbeatsAreStillAnswered() {
        WsClient chat = node.newSession();
        chat.drain();
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            before.add(heartbeatMillis(chat));
        }

        DeskHttp http = node.desk();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            String name = "intruder-" + i;
            flood.add(CompletableFuture.supplyAsync(() -> http.login(name, "guess"), attackers));
        }
        List<Long> during = new ArrayList<>();
        while (during.size() < 5 || !flood.stream().allMatch(CompletableFuture::isDone)) {
            during.add(heartbeatMillis(chat)); // each waits at most WsClient.WAIT for its echo
        }

        List<HttpResponse<String>> answers = flood.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(401, 503);
        List<HttpResponse<String>> busy = answers.stream().filter(r -> r.statusCode() == 503).toList();
        assertThat(busy).as("log-ins refused because the bcrypt queue was full").isNotEmpty();
        assertThat(busy).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(DeskHttp.json(r).path("error").asText()).isEqualTo("desk log-in is busy; try again shortly");
        });
        LOG.info("chat heartbeat echo before the flood: {}; during it ({} of {} log-ins refused busy): {}",
                summary(before), busy.size(), FLOOD, summary(during));
    }

    private static long heartbeatMillis(WsClient chat) {
        long start = System.nanoTime();
        assertThat(chat.drain()).isEmpty();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return "n=" + sorted.size() + " median=" + sorted.get(sorted.size() / 2) + "ms p99="
                + sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) + "ms max=" + sorted.get(sorted.size() - 1) + "ms";
    }
}
