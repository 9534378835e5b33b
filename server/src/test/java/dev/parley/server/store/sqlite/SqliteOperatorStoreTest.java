package dev.parley.server.store.sqlite;

import dev.parley.server.store.NodeStore;
import dev.parley.server.store.OperatorStoreContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The operator store contract on the embedded SQLite file. */
class SqliteOperatorStoreTest extends OperatorStoreContractTest {
    @TempDir
    Path dataDir;

    @Override
    protected NodeStore openEmpty() {
        return SqliteStore.open(dataDir.resolve("data"));
    }

    @Override
    protected Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("data/parley.db"));
    }

    @Override
    protected String schema() {
        return null;
    }
}
