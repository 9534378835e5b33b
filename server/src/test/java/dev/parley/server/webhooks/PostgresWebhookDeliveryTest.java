package dev.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.StoreFactory;
import dev.parley.server.cli.CliContext;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.postgres.PostgresStore;
import dev.parley.server.testing.PostgresDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Webhook delivery on PostgreSQL, including two nodes sharing one outbox. */
class PostgresWebhookDeliveryTest extends WebhookDeliveryContractTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    @Override
    NodeStore open() {
        return PostgresStore.open(db.storeConfig());
    }

    @Override
    void empty() throws Exception {
        // Opened once so the schema exists before the first test truncates.
        PostgresStore.open(db.storeConfig()).close();
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement()) {
            st.execute("TRUNCATE connectors, sessions, events, handoffs, session_contexts, erased_sessions,"
                    + " webhook_subscriptions, webhook_deliveries CASCADE");
        }
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
                Map.of("PARLEY_JWT_SECRET", "a-secret-every-node-shares-0123456789", "TEST_PG_PASSWORD", "unused",
                        "PARLEY_DATA_DIR", dir.resolve("cli-data").toString()),
                Clock.systemUTC(), new SecureRandom());
    }

    @Test
    void two_nodes_on_one_database_deliver_each_row_once() {
        String sub = subscribe(EnumSet.of(WebhookEventType.SESSION_STARTED), null);
        NodeStore other = track(open());
        startDispatcher(store, "node-a");
        startDispatcher(other, "node-b");
        int sessions = 40;
        for (int i = 0; i < sessions; i++) {
            startSession();
        }

        await().atMost(WAIT).until(() -> receiver.accepted().size() >= sessions);
        awaitSettled(sub); // nothing owed and nothing in flight: no later send can come

        assertThat(receiver.received()).hasSize(sessions);
        assertThat(ids(receiver.received())).hasSize(sessions);
    }
}
