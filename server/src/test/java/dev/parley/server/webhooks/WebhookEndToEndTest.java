package dev.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real node with a webhook added by the admin CLI while it runs: a real conversation over a
 * WebSocket produces signed deliveries the receiver verifies with the secret the CLI printed.
 */
class WebhookEndToEndTest {
    private static final Pattern SECRET = Pattern.compile("Secret: (\\S+)");
    private static final Pattern ID = Pattern.compile("Added webhook (whs_[0-9a-f]+)");

    @TempDir
    Path dir;
    TestServer server;
    WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        // Short delivery settings stand in for hours of back-off.
        server = TestServer.start(dir.resolve("data"), c -> c.withDesk(DeskConfig.DISABLED)
                .withWebhooks(WebhookDeliveryContractTest.FAST));
        receiver = new WebhookReceiver("not yet known");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        receiver.close();
    }

    @Test
    void aConversationIsDeliveredSignedWithTheSecretTheCliPrinted() {
        String added = cli(0, "admin", "webhook", "add", "--url", receiver.url(),
                "--events", "session.started,message.created", "--connector", "con_demo");
        receiver.secret(group(SECRET, added));
        String id = group(ID, added);

        String sessionId;
        try (WsClient ws = server.newSession(false)) {
            ws.replay();
            ws.join();
            ws.say("hello webhook", "c-1");
            ws.nextOfType("EVENT_TYPE_USER_MESSAGE");
            sessionId = ws.sessionId();
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(receiver.accepted())
                .extracting(r -> WebhookDeliveryContractTest.json(r.body()).path("data").path("payload").path("text").asText())
                .contains("hello webhook"));
        List<WebhookReceiver.Received> all = receiver.received();
        assertThat(all).allMatch(WebhookReceiver.Received::signatureValid);
        assertThat(all).extracting(WebhookReceiver.Received::event).contains("session.started")
                .containsOnly("session.started", "message.created");
        JsonNode started = all.stream().map(r -> WebhookDeliveryContractTest.json(r.body()))
                .filter(b -> b.path("type").asText().equals("session.started")).findFirst().orElseThrow();
        assertThat(started.path("session_id").asText()).isEqualTo(sessionId);
        assertThat(started.path("connector_id").asText()).isEqualTo("con_demo");

        assertThat(cli(0, "admin", "webhook", "list")).contains(id, receiver.url(), "message.created,session.started")
                .doesNotContain(group(SECRET, added));
        assertThat(cli(0, "admin", "webhook", "remove", id)).contains("Removed webhook " + id);
        assertThat(cli(0, "admin", "webhook", "list")).contains("No webhooks.");
    }

    @Test
    void aReceiverThatKeepsFailingLeavesADeadLetterTheCliRetries() {
        String added = cli(0, "admin", "webhook", "add", "--url", receiver.url(), "--events", "session.started");
        receiver.secret(group(SECRET, added));
        String id = group(ID, added);
        receiver.answer(n -> 500);
        String sessionId = server.rest().createSession(server.rest().accessToken(), false);

        await().atMost(Duration.ofSeconds(20)).until(() -> cli(0, "admin", "webhook", "dead-letters").contains(sessionId));
        String listing = cli(0, "admin", "webhook", "dead-letters", "--subscription", id);
        String deadId = group(Pattern.compile("(whd_[0-9a-f]+)"), listing);
        assertThat(listing).contains("status 500", "session.started");
        assertThat(receiver.received()).hasSize(WebhookDeliveryContractTest.FAST.maxAttempts())
                .extracting(WebhookReceiver.Received::deliveryId).containsOnly(deadId);

        receiver.answer(n -> 200);
        cli(0, "admin", "webhook", "retry", deadId);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
        assertThat(receiver.accepted().get(0).deliveryId()).isEqualTo(deadId);
        assertThat(cli(ParleyCommand.NOT_FOUND, "admin", "webhook", "retry", deadId)).isEmpty();
    }

    @Test
    void onlyHttpUrlsAndKnownEventTypesAreAccepted() {
        assertThat(cli(ParleyCommand.USAGE, "admin", "webhook", "add", "--url", "file:///etc/passwd",
                "--events", "session.started")).isEmpty();
        assertThat(cli(ParleyCommand.USAGE, "admin", "webhook", "add", "--url", "http://user:pw@example.com/",
                "--events", "session.started")).isEmpty();
        assertThat(cli(ParleyCommand.USAGE, "admin", "webhook", "add", "--url", receiver.url(),
                "--events", "session.started,session.exploded")).isEmpty();
        assertThat(cli(0, "admin", "webhook", "list")).contains("No webhooks.");
    }

    private String cli(int exitCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(c -> SqliteStore.open(c.dataDir()), new ConfigLoader(dir.resolve("cli.yaml")),
                Map.of("PARLEY_DATA_DIR", server.dataDir().toString()), Clock.systemUTC(), new SecureRandom());
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as("exit code; stderr: %s", err).isEqualTo(exitCode);
        return out.toString();
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }
}
