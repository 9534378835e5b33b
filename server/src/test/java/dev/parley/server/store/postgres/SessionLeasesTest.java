package dev.parley.server.store.postgres;

import static dev.parley.server.store.TestJournal.CONNECTOR_ID;
import static dev.parley.server.store.TestJournal.connector;
import static dev.parley.server.store.TestJournal.message;
import static dev.parley.server.store.TestJournal.session;
import static dev.parley.server.store.TestJournal.sessionStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.store.EventStore;
import dev.parley.server.store.FencedException;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.SessionLeases;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Session leases and fenced appends on a real PostgreSQL: two nodes, one database (issue 11). */
class SessionLeasesTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    PostgresStore store;
    SessionLeases nodeA;
    SessionLeases nodeB;

    @BeforeEach
    void open() throws SQLException {
        store = PostgresStore.open(db.storeConfig());
        execute("TRUNCATE connectors, sessions, events, live_agents, handoffs CASCADE");
        store.createConnector(connector(CONNECTOR_ID, "hash-1"));
        for (String id : List.of("s1", "s2", "s3")) {
            store.create(session(id), sessionStart(id));
        }
        nodeA = store.leases("node-a", TTL);
        nodeB = store.leases("node-b", TTL);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aLiveLeaseIsRefusedToAnotherNodeAndTakenOverWithANewerEpochOnceItExpired() throws SQLException {
        SessionLeases.Lease first = nodeA.acquire("s1").orElseThrow();
        nodeA.acquire("s2").orElseThrow();

        assertThat(nodeB.acquire("s1")).as("A's lease is live").isEmpty();
        assertThat(nodeB.liveOwner("s1")).contains("node-a");

        expireLease("s1");
        SessionLeases.Lease second = nodeB.acquire("s1").orElseThrow();

        assertThat(first.movedIn()).as("nobody held it before").isFalse();
        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        assertThat(second.movedIn()).as("taken over from node-a").isTrue();
        assertThat(nodeA.acquire("s1")).as("never back while B's lease is live").isEmpty();
        assertThat(nodeA.renew(List.of("s1", "s2"))).as("A learns it lost s1").containsExactly("s1");
    }

    @Test
    void aRenewedLeaseStaysWithItsNodeAndAReleasedOneIsFreeAtOnce() throws SQLException {
        nodeA.acquire("s1").orElseThrow();
        nodeA.acquire("s2").orElseThrow();
        execute("UPDATE sessions SET lease_until = now() + interval '1 second'");

        assertThat(nodeA.renew(List.of("s1", "s2"))).isEmpty();
        assertThat(longQuery("SELECT COUNT(*) FROM sessions WHERE lease_until > now() + interval '5 seconds'"))
                .as("both renewed by one statement for the ttl").isEqualTo(2);

        nodeA.release(List.of("s1"));

        assertThat(nodeB.acquire("s1")).as("released").isPresent();
        assertThat(nodeB.acquire("s2")).as("still A's").isEmpty();
    }

    @Test
    void anAppendWithAStaleEpochIsRefusedAndStoresNothing() throws SQLException {
        long old = nodeA.acquire("s1").orElseThrow().epoch();
        store.append(List.of(), List.of(message("s1", 2)), Map.of("s1", old));
        expireLease("s1");
        long current = nodeB.acquire("s1").orElseThrow().epoch();

        Set<String> fenced = store.append(List.of(), List.of(message("s1", 3)), Map.of("s1", old));

        assertThat(fenced).containsExactly("s1");
        assertThat(store.headSequence("s1")).isEqualTo(2);
        assertThat(store.readAfter("s1", 0, 10)).hasSize(2);
        assertThat(store.append(List.of(), List.of(message("s1", 3)), Map.of("s1", current))).isEmpty();
        assertThat(store.headSequence("s1")).isEqualTo(3);
    }

    @Test
    void oneDeposedSessionInAGroupCommitFailsAloneWhileTheOthersOfItsBatchAreWritten() throws Exception {
        long s1Old = nodeA.acquire("s1").orElseThrow().epoch();
        long s2 = nodeA.acquire("s2").orElseThrow().epoch();
        long s3 = nodeA.acquire("s3").orElseThrow().epoch();
        expireLease("s1");
        nodeB.acquire("s1").orElseThrow(); // s1 moved to node B: A's actor of s1 is deposed

        FirstAppendHeld held = new FirstAppendHeld(store);
        try (GroupCommitWriter journal = new GroupCommitWriter(held, 100)) {
            CompletableFuture<Void> warmUp = journal.appendWhenRoom("s3", s3, List.of(message("s3", 2)));
            held.entered.await(10, TimeUnit.SECONDS);
            // Queued while the writer is busy, so they go out together in the next group commit.
            CompletableFuture<Void> deposed = journal.appendWhenRoom("s1", s1Old, List.of(message("s1", 2)));
            CompletableFuture<Void> fine = journal.appendWhenRoom("s2", s2, List.of(message("s2", 2)));
            CompletableFuture<Void> alsoFine = journal.appendWhenRoom("s3", s3, List.of(message("s3", 3)));
            held.release.countDown();

            warmUp.get(10, TimeUnit.SECONDS);
            fine.get(10, TimeUnit.SECONDS);
            alsoFine.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> deposed.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(FencedException.class);
            assertThat(held.calls()).as("one commit for the three, no retry one by one").containsExactly(1, 3);
        }
        assertThat(store.headSequence("s1")).isEqualTo(1);
        assertThat(store.headSequence("s2")).isEqualTo(2);
        assertThat(store.headSequence("s3")).isEqualTo(3);
    }

    /** Holds the writer inside its first append until released, so later appends pile up into one batch. */
    private static final class FirstAppendHeld implements EventStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final EventStore delegate;
        private final List<Integer> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        FirstAppendHeld(EventStore delegate) {
            this.delegate = delegate;
        }

        List<Integer> calls() {
            return List.copyOf(calls);
        }

        @Override
        public Set<String> append(List<SessionRecord> newSessions, List<StoredEvent> events, Map<String, Long> epochs) {
            calls.add(events.size());
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.append(newSessions, events, epochs);
        }

        @Override
        public void append(List<SessionRecord> newSessions, List<StoredEvent> events) {
            append(newSessions, events, Map.of());
        }

        @Override
        public List<StoredEvent> readAfter(String sessionId, long afterSequence, int limit) {
            return delegate.readAfter(sessionId, afterSequence, limit);
        }

        @Override
        public long headSequence(String sessionId) {
            return delegate.headSequence(sessionId);
        }

        @Override
        public Optional<StoredEvent> findByClientEventId(String sessionId, String clientEventId) {
            return delegate.findByClientEventId(sessionId, clientEventId);
        }
    }

    /** What the passing of the ttl does, without waiting for it. */
    private static void expireLease(String sessionId) throws SQLException {
        execute("UPDATE sessions SET lease_until = now() - interval '1 second' WHERE id = '" + sessionId + "'");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long longQuery(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
