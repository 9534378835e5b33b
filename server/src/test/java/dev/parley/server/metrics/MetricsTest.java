package dev.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} after a real conversation. */
class MetricsTest {
    @TempDir
    Path dir;

    @Test
    void afterAConversationMetricsShowScriptedTurnsFirstTokensSessionsAndJournalWrites() {
        try (TestServer server = TestServer.start(dir)) {
            try (WsClient ws = server.newSession(false)) {
                ws.replay();
                ws.join();
                ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
                ws.say("What are your opening hours?");
                ws.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
            }

            HttpResponse<String> response = get(server.baseUrl() + "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            String text = response.body();
            assertThat(value(text, "parley_agent_turns_total\\{agent=\"scripted\"\\}")).isGreaterThanOrEqualTo(2);
            assertThat(value(text, "parley_agent_first_token_seconds_count\\{agent=\"scripted\"\\}")).isGreaterThanOrEqualTo(2);
            assertThat(value(text, "parley_sessions_live")).isGreaterThanOrEqualTo(1);
            // The journal counts once the group commit has run; it runs on its own thread.
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(value(get(server.baseUrl() + "/metrics").body(), "parley_journal_events_total")).isGreaterThan(0));
            assertThat(text).doesNotContain("parley_agent_errors_total{agent=\"scripted\"");
        }
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
