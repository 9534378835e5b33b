package dev.parley.server.store.postgres;

import dev.parley.server.store.CannedReplyStoreContractTest;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The canned-reply store contract on a real PostgreSQL. */
class PostgresCannedReplyStoreTest extends CannedReplyStoreContractTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @Override
    protected NodeStore openEmpty() throws SQLException {
        NodeStore opened = PostgresStore.open(db.storeConfig());
        // One database for the class: each test starts from an empty table.
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement()) {
            st.execute("TRUNCATE canned_replies");
        }
        return opened;
    }
}
