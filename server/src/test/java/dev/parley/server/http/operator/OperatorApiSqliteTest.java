package dev.parley.server.http.operator;

import dev.parley.server.cli.CliContext;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.sqlite.SqliteStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/** The operator API on the embedded SQLite store, the CLI writing the same file from "another process". */
class OperatorApiSqliteTest extends OperatorApiContractTest {

    @Override
    ParleyConfig withStore(ParleyConfig config) {
        return config;
    }

    @Override
    CliContext cliContext() {
        return new CliContext(c -> SqliteStore.open(c.dataDir()), new ConfigLoader(dir.resolve("cli.yaml")),
                Map.of("PARLEY_DATA_DIR", server.dataDir().toString()), Clock.systemUTC(), new SecureRandom());
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("parley.db"));
    }

    @Override
    String schema() {
        return null;
    }
}
