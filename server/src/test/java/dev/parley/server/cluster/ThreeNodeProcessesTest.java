package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.RedisServer;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real {@code parley serve} processes on one PostgreSQL and one Redis (issue 11), the way an
 * operator runs them: settings from {@code PARLEY_*} and a YAML file, one shared JWT secret. One
 * session has a socket on every node; the owner is killed with SIGKILL mid-conversation. The
 * clients reconnect elsewhere and resend what was not echoed; afterwards the union of what they
 * saw is the stored history, each of them saw every event once, and each user message has
 * exactly one agent reply.
 */
class ThreeNodeProcessesTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path dir;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        for (NodeProcess node : nodes) {
            node.close();
        }
    }

    @Test
    void whenTheOwnerProcessIsKilledMidConversationTheClientsGoOnElsewhereWithNothingLostOrDoubledAndOneReplyEach()
            throws Exception {
        Path config = Files.writeString(dir.resolve("parley.yaml"), """
                store:
                  lease_ttl_seconds: 2
                  lease_renew_seconds: 1
                """);
        Map<String, String> env = Map.of(
                "PARLEY_STORE_KIND", "postgres",
                "PARLEY_STORE_URL", db.url(),
                "PARLEY_STORE_USER", "postgres",
                "PARLEY_FANOUT_KIND", "redis",
                "PARLEY_FANOUT_URL", redis.url(),
                "PARLEY_JWT_SECRET", "a-secret-every-node-shares-0123456789");
        for (String name : List.of("n1", "n2", "n3")) {
            nodes.add(NodeProcess.start(dir.resolve(name), config, env));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(NodeProcess::ready));
        } catch (RuntimeException e) {
            throw new AssertionError("nodes did not get ready; logs:\n" + logs(), e);
        }
        NodeProcess owner = nodes.get(0);
        Rest rest = owner.rest();
        String token = rest.accessToken();
        String session = rest.createSession(token, false);
        java.util.function.Supplier<List<String>> live = () ->
                nodes.stream().filter(NodeProcess::alive).map(NodeProcess::baseUrl).toList();
        List<Conversant> users = new ArrayList<>();
        for (NodeProcess node : nodes) { // the first socket activates the session: n1 owns it
            Conversant user = new Conversant("on " + node.baseUrl(), node.baseUrl(), session, token, live);
            clients.add(user);
            users.add(user);
            user.awaitSequence(1);
        }
        Conversant onOwner = users.get(0);
        Conversant onSecond = users.get(1);
        Conversant onThird = users.get(2);

        onSecond.join();
        onSecond.awaitSequence(4); // the join's echo, the agent joined, its greeting: then the first question
        onSecond.sayAndAwaitReply("first, through n2", "m-1");
        onThird.sayAndAwaitReply("second, through n3", "m-2");
        long epochBefore = epochOf(session);
        onOwner.trySay("third, sent to the owner as it dies", "m-3");
        owner.kill(); // SIGKILL: no 1012, its lease runs out by itself
        onOwner.sayAndAwaitReply("third, sent to the owner as it dies", "m-3"); // reconnects and resends
        onSecond.sayAndAwaitReply("fourth, after the takeover", "m-4");
        onThird.sayAndAwaitReply("fifth", "m-5");

        System.out.println(logs()); // the nodes' side of the story, in the test's report
        WsClient reader = WsClient.connect(nodes.get(1).baseUrl(), session, token, "0");
        clients.add(reader);
        List<JsonNode> history = reader.replay();
        long head = history.get(history.size() - 1).path("sequence").asLong();
        users.forEach(u -> u.awaitSequence(head));

        assertThat(history).extracting(e -> e.path("sequence").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
        for (Conversant user : users) {
            assertThat(user.problems()).as("doubles or gaps").isEmpty();
            assertThat(ids(user.seen())).as("what one client saw is the stored history").isEqualTo(ids(history));
        }
        assertThat(onOwner.reconnects()).as("the owner's client moved to another node").isPositive();
        assertThat(epochOf(session)).as("another node took the lease over").isGreaterThan(epochBefore);
        assertThat(history).filteredOn(e -> e.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE"))
                .extracting(e -> e.path("metadata").path("custom").path("client_event_id").asText())
                .containsExactly("m-1", "m-2", "m-3", "m-4", "m-5");
        assertOneReplyPerUserMessage(history, 5);
    }

    private static long epochOf(String sessionId) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url());
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT owner_epoch FROM sessions WHERE id = ?")) {
            ps.setString(1, sessionId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    /** After each user message exactly one agent message, before the next user message. */
    private static void assertOneReplyPerUserMessage(List<JsonNode> events, int userMessages) {
        List<String> turns = new ArrayList<>();
        boolean started = false;
        for (JsonNode e : events) {
            String type = e.path("type").asText();
            if (type.equals("EVENT_TYPE_USER_MESSAGE")) {
                started = true;
                turns.add("user");
            } else if (started && type.equals("EVENT_TYPE_POLY_AGENT_MESSAGE")) {
                turns.add("agent");
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < userMessages; i++) {
            expected.add("user");
            expected.add("agent");
        }
        assertThat(turns).as("turns in %s", events).isEqualTo(expected);
    }

    private String logs() {
        return nodes.stream().map(n -> {
            try {
                return n.log() + ":\n" + Files.readString(n.log());
            } catch (IOException e) {
                return n.log() + ": " + e;
            }
        }).collect(Collectors.joining("\n"));
    }
}
