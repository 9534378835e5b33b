package dev.parley.server.store.postgres;

import static dev.parley.server.store.TestJournal.message;
import static dev.parley.server.store.TestJournal.userMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.Secret;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.StoreContractTest;
import dev.parley.server.store.StoreException;
import dev.parley.server.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on a real PostgreSQL, and what is particular to PostgreSQL. */
class PostgresStoreTest extends StoreContractTest {

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @Override
    protected NodeStore openEmpty() throws SQLException {
        NodeStore opened = PostgresStore.open(db.storeConfig());
        // One database for the class: each test starts from empty tables (the schema stays).
        execute("TRUNCATE connectors, sessions, events, live_agents, handoffs CASCADE");
        return opened;
    }

    @Override
    protected NodeStore reopen() {
        return PostgresStore.open(db.storeConfig());
    }

    @Override
    protected Instant lastActivityOf(String sessionId) throws SQLException {
        try (Connection c = raw(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT last_activity_at FROM sessions WHERE id = '" + sessionId + "'")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    @Override
    protected long firstMigrationRuns() throws SQLException {
        return longQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1' AND success");
    }

    @Test
    void the_journal_refuses_a_second_event_at_a_taken_sequence_even_from_another_connection() throws SQLException {
        store.append(List.of(message("s1", 2)));

        // The schema itself, not the adapter, is the last line of defence against a second writer.
        assertThatThrownBy(() -> execute("INSERT INTO events (session_id, seq, event_id, type, ts, json)"
                + " VALUES ('s1', 2, 'evt_other', 'EVENT_TYPE_USER_MESSAGE', now(), '{}')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("events_pkey");
        assertThatThrownBy(() -> execute("INSERT INTO events (session_id, seq, event_id, type, ts, json, client_event_id)"
                + " VALUES ('s1', 3, 'evt_x', 'EVENT_TYPE_USER_MESSAGE', now(), '{}', 'c-1'),"
                + " ('s1', 4, 'evt_y', 'EVENT_TYPE_USER_MESSAGE', now(), '{}', 'c-1')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("events_client_event_id");
    }

    @Test
    void the_session_head_moves_with_each_append_in_the_same_transaction() throws SQLException {
        store.append(List.of(message("s1", 3), message("s2", 2), message("s1", 2)));

        assertThat(longQuery("SELECT head_seq FROM sessions WHERE id = 's1'")).isEqualTo(3);
        assertThat(longQuery("SELECT head_seq FROM sessions WHERE id = 's2'")).isEqualTo(2);
        assertThatThrownBy(() -> store.append(List.of(message("s2", 3), message("s1", 3))))
                .isInstanceOf(StoreException.class);
        assertThat(longQuery("SELECT head_seq FROM sessions WHERE id = 's2'")).as("rolled back").isEqualTo(2);
        assertThat(longQuery("SELECT owner_epoch FROM sessions WHERE id = 's1'")).as("no leases yet").isZero();
    }

    @Test
    void in_a_group_commit_a_duplicate_of_one_session_fails_only_that_sessions_append() throws Exception {
        store.append(List.of(userMessage("s1", 2, "client-7")));
        try (GroupCommitWriter journal = new GroupCommitWriter(store, 100)) {
            List<CompletableFuture<Void>> appends = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // s2 gets 20 good appends; one append of s1 repeats a client event id.
                appends.add(journal.append(List.of(message("s2", 2 + i))));
                if (i == 10) {
                    appends.add(journal.append(List.of(userMessage("s1", 3, "client-7"))));
                }
            }
            CompletableFuture<Void> duplicate = appends.remove(11);

            assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
            for (CompletableFuture<Void> append : appends) {
                append.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(store.headSequence("s2")).isEqualTo(21);
        assertThat(store.headSequence("s1")).isEqualTo(2);
    }

    @Test
    void an_unreachable_database_is_reported_with_its_url_and_no_password() {
        StoreConfig nowhere = StoreConfig.postgres("jdbc:postgresql://127.0.0.1:1/parley", "parley",
                new Secret("very-secret-pw"), 2);

        assertThatThrownBy(() -> PostgresStore.open(nowhere))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/parley")
                .hasMessageNotContaining("very-secret-pw");
    }

    private static Connection raw() throws SQLException {
        return DriverManager.getConnection(db.url());
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long longQuery(String sql) throws SQLException {
        try (Connection c = raw(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
