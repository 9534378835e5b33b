package dev.parley.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.HistorySearchContractTest;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The history search on PostgreSQL full-text search: English stems, not prefixes. */
class PostgresHistorySearchTest extends HistorySearchContractTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @Override
    protected NodeStore openEmpty() throws SQLException {
        NodeStore opened = PostgresStore.open(db.storeConfig());
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE connectors, sessions, events, live_agents, handoffs, session_contexts,"
                    + " operator_api_keys, erased_sessions, message_texts CASCADE");
        }
        return opened;
    }

    @Override
    protected Connection raw() throws SQLException {
        return DriverManager.getConnection(db.url());
    }

    @Test
    void a_word_matches_by_its_english_stem() {
        assertThat(ids("parcels")).containsExactly("s-3", "s-2", "s-1");
        assertThat(ids("refunded")).containsExactly("s-1");
        assertThat(ids("parc")).as("stems, not prefixes").isEmpty();
    }
}
