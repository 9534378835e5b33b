package dev.parley.server.webhooks;

import dev.parley.server.cli.CliContext;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Webhook delivery on the embedded SQLite file; the CLI writes the same file as an operator would. */
class SqliteWebhookDeliveryTest extends WebhookDeliveryContractTest {
    @TempDir
    Path dir;

    @Override
    NodeStore open() {
        return SqliteStore.open(dir.resolve("data"));
    }

    @Override
    void empty() {
        // a fresh temporary directory per test
    }

    @Override
    CliContext cliContext() {
        return new CliContext(c -> SqliteStore.open(c.dataDir()), new ConfigLoader(dir.resolve("cli.yaml")),
                Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString()), Clock.systemUTC(), new SecureRandom());
    }
}
