package dev.parley.server.webhooks;

import static dev.parley.server.store.TestJournal.CONNECTOR_ID;
import static dev.parley.server.store.TestJournal.connector;
import static dev.parley.server.store.TestJournal.event;
import static dev.parley.server.store.TestJournal.session;
import static dev.parley.server.store.TestJournal.sessionEnd;
import static dev.parley.server.store.TestJournal.sessionStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.EventType;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.store.ErasureRecord;
import dev.parley.server.store.NodeStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Outgoing webhooks (issue 14) on a real store, a real delivery worker and a real HTTP receiver
 * that checks signatures and fails when told to. Run on SQLite and PostgreSQL by the subclasses.
 * Short back-off settings stand in for hours; nothing waits on a sleep.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class WebhookDeliveryContractTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final WebhookDeliverySettings FAST = new WebhookDeliverySettings(3, Duration.ofMillis(20),
            Duration.ofMillis(100), Duration.ofSeconds(2), 4, Duration.ofMillis(20), Duration.ofSeconds(5));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SERVER_SECRET = "webhook-test-server-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    final WebhookSecrets secrets = new WebhookSecrets(ContextKeySealer.fromServerSecret(SERVER_SECRET, new SecureRandom()));
    final List<WebhookDispatcher> dispatchers = new ArrayList<>();
    final List<NodeStore> stores = new ArrayList<>();
    NodeStore store;
    WebhookReceiver receiver;
    String secret;

    /** Opens the store (again, for a restart) without emptying it. */
    abstract NodeStore open() throws Exception;

    /** Empties the tables before a test. */
    abstract void empty() throws Exception;

    /** The admin CLI on the same store. */
    abstract CliContext cliContext() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        empty();
        store = track(open());
        store.createConnector(connector(CONNECTOR_ID, "hash-1"));
        secret = WebhookSecrets.newSecret(new SecureRandom());
        receiver = new WebhookReceiver(secret);
    }

    @AfterEach
    void tearDown() throws Exception {
        dispatchers.forEach(WebhookDispatcher::close);
        receiver.close();
        stores.forEach(NodeStore::close);
    }

    NodeStore track(NodeStore s) {
        stores.add(s);
        return s;
    }

    WebhookDispatcher startDispatcher(NodeStore on, String nodeId) {
        WebhookDispatcher d = new WebhookDispatcher(on.webhooks(), secrets, WebhookDispatcher.httpClient(FAST), FAST,
                Clock.systemUTC(), nodeId, new SecureRandom());
        dispatchers.add(d);
        d.start();
        return d;
    }

    String subscribe(Set<WebhookEventType> events, String connectorId) {
        String id = "whs_" + UUID.randomUUID().toString().substring(0, 8);
        store.webhooks().addSubscription(new WebhookSubscription(id, receiver.url(), events, connectorId,
                secrets.seal(id, secret), Instant.now()));
        return id;
    }

    String startSession() {
        String id = UUID.randomUUID().toString();
        store.append(List.of(session(id)), List.of(sessionStart(id)));
        return id;
    }

    /** Everything sent has been answered and settled: no row is owed, none in flight. */
    void awaitSettled(String subscriptionId) {
        await().atMost(WAIT).until(() -> store.webhooks().pendingCount(subscriptionId) == 0
                && dispatchers.stream().allMatch(d -> d.inFlight() == 0));
    }

    @Test
    void subscribed_events_arrive_signed_once_each_and_others_not_at_all() throws Exception {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_STARTED, WebhookEventType.SESSION_ENDED), null);
        startDispatcher(store, "node-a");
        String sessionId = startSession();
        store.append(List.of(event(sessionId, 2, EventType.USER_MESSAGE, "{\"text\":\"not asked for\"}", null),
                sessionEnd(sessionId, 3, "REASON_NATURAL_END")));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
        awaitSettled(sub);

        List<WebhookReceiver.Received> all = receiver.received();
        assertThat(all).as("no duplicate without a failure").hasSize(2);
        assertThat(all).allMatch(WebhookReceiver.Received::signatureValid);
        assertThat(all).extracting(WebhookReceiver.Received::event).containsExactlyInAnyOrder("session.started", "session.ended");
        assertThat(all).extracting(WebhookReceiver.Received::attempt).containsOnly(1);
        JsonNode started = all.stream().map(r -> json(r.body())).filter(b -> b.path("type").asText().equals("session.started"))
                .findFirst().orElseThrow();
        assertThat(started.path("session_id").asText()).isEqualTo(sessionId);
        assertThat(started.path("connector_id").asText()).isEqualTo(CONNECTOR_ID);
        assertThat(started.path("created_at").asText()).endsWith("Z");
        assertThat(started.path("id").asText()).isNotEmpty();
        assertThat(started.path("data").path("event").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
    }

    @Test
    void messages_are_sent_only_to_subscriptions_asking_for_them_and_of_their_connector() throws Exception {
        String messages = subscribe(EnumSet.of(WebhookEventType.MESSAGE_CREATED), CONNECTOR_ID);
        String otherConnector = subscribe(EnumSet.of(WebhookEventType.MESSAGE_CREATED), "con_other");
        startDispatcher(store, "node-a");
        String sessionId = startSession();
        store.append(List.of(event(sessionId, 2, EventType.USER_MESSAGE, "{\"text\":\"hello there\"}", null)));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        awaitSettled(messages);

        assertThat(receiver.received()).hasSize(1);
        JsonNode body = json(receiver.received().get(0).body());
        assertThat(body.path("type").asText()).isEqualTo("message.created");
        assertThat(body.path("data").path("role").asText()).isEqualTo("user");
        assertThat(body.path("data").path("payload").path("text").asText()).isEqualTo("hello there");
        assertThat(store.webhooks().pendingCount(otherConnector)).isZero();
    }

    @Test
    void a_500_and_a_timeout_are_retried_with_the_same_delivery_id() throws Exception {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_STARTED), null);
        receiver.answer(n -> n == 1 ? 500 : n == 2 ? WebhookReceiver.HANG : 200);
        startDispatcher(store, "node-a");
        startSession();

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        awaitSettled(sub);

        List<WebhookReceiver.Received> all = receiver.received();
        assertThat(all).hasSize(3);
        assertThat(all).extracting(WebhookReceiver.Received::deliveryId).containsOnly(all.get(0).deliveryId());
        assertThat(all).extracting(WebhookReceiver.Received::attempt).containsExactly(1, 2, 3);
        assertThat(all).extracting(WebhookReceiver.Received::body).containsOnly(all.get(0).body());
        assertThat(all).allMatch(WebhookReceiver.Received::signatureValid);
        assertThat(store.webhooks().deadLetters(null)).isEmpty();
    }

    @Test
    void after_the_last_attempt_a_dead_letter_is_listed_by_the_cli_and_retried_from_it() throws Exception {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_STARTED), null);
        receiver.answer(n -> 503);
        startDispatcher(store, "node-a");
        String sessionId = startSession();

        await().atMost(WAIT).until(() -> !store.webhooks().deadLetters(sub).isEmpty());
        DeadLetter dead = store.webhooks().deadLetters(sub).get(0);
        assertThat(dead.attempts()).isEqualTo(FAST.maxAttempts());
        assertThat(dead.lastError()).isEqualTo("status 503");
        assertThat(dead.sessionId()).isEqualTo(sessionId);
        assertThat(receiver.received()).hasSize(FAST.maxAttempts())
                .extracting(WebhookReceiver.Received::deliveryId).containsOnly(dead.id());
        assertThat(cli("admin", "webhook", "dead-letters", "--subscription", sub))
                .contains(dead.id(), "session.started", sessionId, "status 503");
        assertThat(cli("admin", "webhook", "list")).contains(sub, receiver.url());

        receiver.answer(n -> 200);
        assertThat(cli("admin", "webhook", "retry", dead.id())).contains(dead.id());

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        awaitSettled(sub);
        assertThat(receiver.accepted().get(0).deliveryId()).isEqualTo(dead.id());
        assertThat(receiver.accepted().get(0).attempt()).as("a fresh round").isEqualTo(1);
        assertThat(store.webhooks().deadLetters(null)).isEmpty();
        assertThat(cli("admin", "webhook", "dead-letters")).contains("No dead letters.");
    }

    @Test
    void rows_written_while_no_node_delivers_are_delivered_after_a_restart() throws Exception {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_STARTED), null);
        String sessionId = startSession(); // the outbox row commits with the event; nobody sends it yet
        store.close();
        stores.remove(store);

        store = track(open());
        startDispatcher(store, "node-restarted");

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        awaitSettled(sub);
        assertThat(receiver.received()).hasSize(1);
        assertThat(json(receiver.received().get(0).body()).path("session_id").asText()).isEqualTo(sessionId);
    }

    @Test
    void a_row_claimed_by_a_node_that_died_mid_attempt_is_sent_again_once_its_lease_runs_out() throws Exception {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_STARTED), null);
        startSession();
        Instant now = Instant.now();
        List<WebhookDelivery> taken = store.webhooks().claim("node-died", now, now.plusMillis(300), 10);
        assertThat(taken).hasSize(1);
        assertThat(store.webhooks().claim("node-b", now, now.plusSeconds(5), 10)).as("leased").isEmpty();

        startDispatcher(store, "node-b");

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        awaitSettled(sub);
        WebhookReceiver.Received got = receiver.received().get(0);
        assertThat(got.deliveryId()).isEqualTo(taken.get(0).id());
        assertThat(got.attempt()).as("the dead node's attempt counted").isEqualTo(2);
    }

    @Test
    void erasure_deletes_the_sessions_pending_deliveries_and_dead_letters() {
        String sub = subscribe(EnumSet.of(WebhookEventType.MESSAGE_CREATED, WebhookEventType.SESSION_STARTED), null);
        String erased = startSession();
        String kept = startSession();
        store.append(List.of(event(erased, 2, EventType.USER_MESSAGE, "{\"text\":\"pineapple-7731\"}", null)));
        Instant now = Instant.now();
        WebhookDelivery first = store.webhooks().claim("node-a", now, now.plusSeconds(5), 1).get(0);
        store.webhooks().deadLetter(first.id(), "node-a", now, "status 500");
        assertThat(store.webhooks().pendingCount(sub) + store.webhooks().deadLetters(sub).size()).isEqualTo(3);

        assertThat(store.operators().erase(new ErasureRecord(erased, CONNECTOR_ID, now, "test"))).isTrue();

        List<String> left = new ArrayList<>();
        store.webhooks().deadLetters(sub).forEach(d -> left.add(d.sessionId()));
        List<WebhookDelivery> pending = store.webhooks().claim("node-a", now, now.plusSeconds(5), 10);
        pending.forEach(d -> left.add(d.sessionId()));
        assertThat(left).containsOnly(kept);
        assertThat(pending).extracting(WebhookDelivery::data).noneMatch(d -> d.contains("pineapple"));
    }

    @Test
    void purging_ended_sessions_takes_their_deliveries_along() {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_ENDED), null);
        String ended = startSession();
        store.append(List.of(sessionEnd(ended, 2, "REASON_NATURAL_END")));
        assertThat(store.webhooks().pendingCount(sub)).isEqualTo(1);

        assertThat(store.purgeEndedBefore(Instant.now())).isEqualTo(1);

        assertThat(store.webhooks().pendingCount(sub)).isZero();
    }

    @Test
    void removing_a_subscription_drops_what_it_was_owed() {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_STARTED), null);
        startSession();
        assertThat(store.webhooks().pendingCount(sub)).isEqualTo(1);
        assertThat(store.webhooks().removeSubscription(sub)).isTrue();
        assertThat(store.webhooks().removeSubscription(sub)).isFalse();
        assertThat(store.webhooks().listSubscriptions()).isEmpty();
        assertThat(store.webhooks().pendingCount(sub)).isZero();
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    static Set<String> ids(List<WebhookReceiver.Received> received) {
        return received.stream().map(WebhookReceiver.Received::deliveryId).collect(Collectors.toSet());
    }

    String cli(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ParleyCommand.commandLine(cliContext());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as("exit code; stderr: %s", err).isZero();
        return out.toString();
    }
}
