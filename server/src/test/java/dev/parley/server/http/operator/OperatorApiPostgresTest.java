package dev.parley.server.http.operator;

import dev.parley.server.StoreFactory;
import dev.parley.server.cli.CliContext;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator API with {@code store.kind: postgres}, the CLI on the same database and shared secret. */
class OperatorApiPostgresTest extends OperatorApiContractTest {
    private static final String JWT_SECRET = "a-secret-every-node-shares-0123456789";

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @Override
    ParleyConfig withStore(ParleyConfig config) {
        return config.withStore(db.storeConfig()).withJwtSecret(JWT_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    CliContext cliContext() throws Exception {
        Path yaml = Files.writeString(dir.resolve("parley.yaml"), String.join("\n",
                "store:",
                "  kind: postgres",
                "  url: " + db.url(),
                "  user: postgres",
                "  password_env: TEST_PG_PASSWORD", // the embedded server trusts local users; read anyway
                "  pool_size: 2",
                ""));
        return new CliContext(StoreFactory::open, new ConfigLoader(yaml),
                Map.of("PARLEY_JWT_SECRET", JWT_SECRET, "TEST_PG_PASSWORD", "unused",
                        "PARLEY_DATA_DIR", dir.resolve("cli-data").toString()),
                Clock.systemUTC(), new SecureRandom());
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection(db.url());
    }

    @Override
    String schema() {
        return "public";
    }
}
