package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.EventType;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: {@code POST /api/v1/sessions} goes through the group-commit journal. Many concurrent
 * creations share transactions, each 200 means the session is durable, and a full journal queue is
 * answered at once with 503 and {@code Retry-After} instead of making the request wait.
 */
class SessionCreationUnderLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Generous, so that the REST rate limit is not what this test meets. */
    private static final ParleyConfig.RateLimit UNLIMITED = new ParleyConfig.RateLimit(10_000, 10_000);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twoHundredConcurrentCreationsAllSucceedShareJournalCommitsAndSurviveARestart() {
        List<String> ids = new ArrayList<>();
        try (TestServer server = TestServer.start(dir, c -> c.withRates(UNLIMITED, UNLIMITED))) {
            String token = server.rest().accessToken();
            double batchesBefore = metric(server, "parley_journal_batches_total");
            double eventsBefore = metric(server, "parley_journal_events_total");

            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                responses.add(createSession(server, token));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> created = response.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                ids.add(Rest.json(created).get("session_id").asText());
            }

            assertThat(ids).doesNotHaveDuplicates();
            // Every SESSION_START went through the journal, in fewer commits than creations.
            assertThat(metric(server, "parley_journal_events_total") - eventsBefore).isEqualTo(200);
            assertThat(metric(server, "parley_journal_batches_total") - batchesBefore).isLessThan(200);
        }
        try (TestServer restarted = TestServer.start(dir)) {
            for (String id : ids) {
                assertThat(restarted.server().sessions().find(id).toCompletableFuture().join()).as(id).isPresent();
            }
        }
        try (SqliteStore store = SqliteStore.open(dir)) {
            for (String id : ids) {
                assertThat(store.readAfter(id, 0, 10)).as(id).singleElement()
                        .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.SESSION_START));
            }
        }
    }

    @Test
    void aCreationMeetingAFullJournalGets503WithRetryAfterAndTheWaitingOnesSucceedOnceTheDiskIsBack() throws Exception {
        // Room for one creation behind the one the writer is working on.
        try (TestServer server = TestServer.start(dir, c -> c.withRates(UNLIMITED, UNLIMITED)
                .withCapacity(new ParleyConfig.Capacity(2, 1)))) {
            String token = server.rest().accessToken();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            // Another process (like the admin CLI) holds the write lock: the journal's writer waits in it.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db").toAbsolutePath());
                 Statement lock = other.createStatement()) {
                lock.execute("BEGIN IMMEDIATE");
                // One in the writer, one queued: at most two can wait, so one of three is refused.
                for (int i = 0; i < 3; i++) {
                    responses.add(createSession(server, token));
                }
                await().atMost(WAIT).until(() -> responses.stream().anyMatch(r -> r.isDone() && r.join().statusCode() == 503));
                lock.execute("ROLLBACK");
            }

            List<HttpResponse<String>> answers = responses.stream().map(r -> r.orTimeout(WAIT.toSeconds(),
                    java.util.concurrent.TimeUnit.SECONDS).join()).toList();
            HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Rest.json(refused).get("error").asText()).isEqualTo("Failed to create session");
            List<String> created = answers.stream().filter(r -> r.statusCode() == 200)
                    .map(r -> Rest.json(r).get("session_id").asText()).toList();
            assertThat(created).hasSizeGreaterThanOrEqualTo(1);
            assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 503));
            // The node is fine: the next creation, with room again, succeeds.
            String next = server.rest().createSession(token, false);
            server.close();
            try (SqliteStore store = SqliteStore.open(dir)) {
                for (String id : created) {
                    assertThat(store.findSession(id)).as(id).isPresent();
                }
                assertThat(store.findSession(next)).isPresent();
            }
        }
    }

    private CompletableFuture<HttpResponse<String>> createSession(TestServer server, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/sessions"))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(TestServer server, String series) {
        String scrape = server.rest().get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
