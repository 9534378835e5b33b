package dev.parley.server.store.postgres;

import dev.parley.server.store.NodeStore;
import dev.parley.server.store.OperatorStoreContractTest;
import dev.parley.server.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator store contract on a real PostgreSQL. */
class PostgresOperatorStoreTest extends OperatorStoreContractTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @Override
    protected NodeStore openEmpty() throws SQLException {
        NodeStore opened = PostgresStore.open(db.storeConfig());
        // One database for the class: each test starts from empty tables (the schema stays).
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE connectors, sessions, events, live_agents, handoffs, session_contexts,"
                    + " operator_api_keys, erased_sessions CASCADE");
        }
        return opened;
    }

    @Override
    protected Connection raw() throws SQLException {
        return DriverManager.getConnection(db.url());
    }

    @Override
    protected String schema() {
        return "public";
    }
}
