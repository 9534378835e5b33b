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
 * The owner of a session is frozen with SIGSTOP past its lease (a long GC pause, a stopped VM; issue
 * 11), the other node takes the session over, then the owner is let go with SIGCONT. It wakes up
 * believing it still owns the session, with a user message waiting in its socket: that append is
 * refused by the epoch fence (nothing of it stored, no echo), its actor is deposed and its socket
 * closed with 1012, and the client moves on to the new owner, whose history stays gap-free with
 * every message once and one reply each. Leases come from {@code PARLEY_STORE_LEASE_*}.
 */
class PausedOwnerProcessTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path dir;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private NodeProcess paused;

    @AfterEach
    void stop() throws Exception {
        if (paused != null) {
            paused.resume(); // never leave a stopped process behind
        }
        for (AutoCloseable c : clients) {
            c.close();
        }
        for (NodeProcess node : nodes) {
            node.close();
        }
    }

    @Test
    void aPausedOwnerWakingUpPastItsLeaseIsFencedItsSocketMovesOnAndTheHistoryStaysWhole() throws Exception {
        Path config = Files.writeString(dir.resolve("parley.yaml"), "# leases from PARLEY_STORE_LEASE_*\n");
        Map<String, String> env = Map.of(
                "PARLEY_STORE_KIND", "postgres",
                "PARLEY_STORE_URL", db.url(),
                "PARLEY_STORE_USER", "postgres",
                "PARLEY_STORE_LEASE_TTL_SECONDS", "2",
                "PARLEY_STORE_LEASE_RENEW_SECONDS", "1",
                "PARLEY_FANOUT_KIND", "redis",
                "PARLEY_FANOUT_URL", redis.url(),
                "PARLEY_JWT_SECRET", "a-secret-every-node-shares-0123456789");
        for (String name : List.of("n1", "n2")) {
            nodes.add(NodeProcess.start(dir.resolve(name), config, env));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(NodeProcess::ready));
        } catch (RuntimeException e) {
            throw new AssertionError("nodes did not get ready; logs:\n" + logs(), e);
        }
        NodeProcess owner = nodes.get(0);
        NodeProcess other = nodes.get(1);
        Rest rest = owner.rest();
        String token = rest.accessToken();
        String session = rest.createSession(token, false);
        java.util.function.Supplier<List<String>> onlyTheOther = () -> List.of(other.baseUrl());
        Conversant onOwner = new Conversant("on the owner", owner.baseUrl(), session, token, onlyTheOther);
        clients.add(onOwner);
        onOwner.awaitSequence(1); // the first socket activates the session: n1 owns it
        Conversant onOther = new Conversant("on the other node", other.baseUrl(), session, token, onlyTheOther);
        clients.add(onOther);
        onOther.awaitSequence(1);

        onOwner.join();
        onOwner.awaitSequence(4);
        onOwner.sayAndAwaitReply("first, on the owner", "m-1");
        long epochBefore = epochOf(session);

        owner.pause();
        paused = owner;
        // Frozen past its lease: the other node's follower sees the lease lapse and takes the session over.
        await().atMost(Duration.ofSeconds(30)).until(() -> epochOf(session) > epochBefore);
        onOther.sayAndAwaitReply("second, to the new owner", "m-2"); // reconnects (1012) and resends as needed
        // Waits in the frozen owner's socket: the first thing it handles when it wakes up.
        onOwner.socket().say("third, sent to the frozen owner", "m-3");
        long headBeforeWaking = headOf(session);

        owner.resume();
        paused = null;
        WsClient frozenSocket = onOwner.socket();
        assertThat(frozenSocket.awaitClose()).as("the woken owner moves its socket on").isEqualTo(1012);
        assertThat(frozenSocket.unread()).as("no echo from the fenced owner")
                .noneMatch(f -> f.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE"));
        assertThat(headOf(session)).as("the woken owner stored nothing").isEqualTo(headBeforeWaking);
        onOwner.sayAndAwaitReply("third, sent to the frozen owner", "m-3"); // on the new owner now
        assertThat(metric(owner, "parley_cluster_deposed_total")).as("the woken owner's actor was deposed").isEqualTo(1);

        WsClient reader = WsClient.connect(other.baseUrl(), session, token, "0");
        clients.add(reader);
        List<JsonNode> history = reader.replay();
        long head = history.get(history.size() - 1).path("sequence").asLong();
        onOwner.awaitSequence(head);
        onOther.awaitSequence(head);
        assertThat(history).extracting(e -> e.path("sequence").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, head).boxed().toList());
        for (Conversant user : List.of(onOwner, onOther)) {
            assertThat(user.problems()).as("doubles or gaps").isEmpty();
            assertThat(ids(user.seen())).as("what one client saw is the stored history").isEqualTo(ids(history));
        }
        assertThat(history).filteredOn(e -> e.path("type").asText().equals("EVENT_TYPE_USER_MESSAGE"))
                .extracting(e -> e.path("metadata").path("custom").path("client_event_id").asText())
                .containsExactly("m-1", "m-2", "m-3");
        assertThat(history).filteredOn(e -> e.path("type").asText().equals("EVENT_TYPE_POLY_AGENT_MESSAGE"))
                .as("the greeting and one reply per message").hasSize(4);
    }

    private static long epochOf(String sessionId) throws java.sql.SQLException {
        return longOf("SELECT owner_epoch FROM sessions WHERE id = ?", sessionId);
    }

    private static long headOf(String sessionId) throws java.sql.SQLException {
        return longOf("SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?", sessionId);
    }

    private static long longOf(String sql, String sessionId) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url());
             java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sessionId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double metric(NodeProcess node, String series) {
        String scrape = node.rest().get("/metrics").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
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
