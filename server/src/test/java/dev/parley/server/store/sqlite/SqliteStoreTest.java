package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.NodeStore;
import dev.parley.server.store.StoreContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite file, and what is particular to SQLite. */
class SqliteStoreTest extends StoreContractTest {

    @TempDir
    Path dataDir;

    @Override
    protected NodeStore openEmpty() {
        return SqliteStore.open(dataDir.resolve("data"));
    }

    @Override
    protected NodeStore reopen() {
        return SqliteStore.open(dataDir.resolve("data"));
    }

    @Override
    protected Instant lastActivityOf(String sessionId) throws SQLException {
        return Instant.ofEpochMilli(longQuery("SELECT last_activity_at FROM sessions WHERE id = '" + sessionId + "'"));
    }

    @Override
    protected long firstMigrationRuns() throws SQLException {
        return longQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1' AND success = 1");
    }

    @Test
    void the_file_is_in_write_ahead_log_mode() throws SQLException {
        try (Connection c = rawConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void connections_commit_with_full_sync_enforce_foreign_keys_and_wait_for_other_writers() throws SQLException {
        try (Connection c = SqliteDataSources.forFile(dataDir.resolve("data/parley.db")).getConnection();
             Statement st = c.createStatement()) {
            assertThat(pragma(st, "synchronous")).isEqualTo(2); // FULL
            assertThat(pragma(st, "foreign_keys")).isEqualTo(1);
            assertThat(pragma(st, "busy_timeout")).isEqualTo(SqliteDataSources.BUSY_TIMEOUT_MILLIS);
        }
    }

    private static long pragma(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("data/parley.db"));
    }

    private long longQuery(String sql) throws SQLException {
        try (Connection c = rawConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
