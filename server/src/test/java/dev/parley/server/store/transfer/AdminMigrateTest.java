package dev.parley.server.store.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.DeskConfig;
import dev.parley.server.store.StoreException;
import dev.parley.server.testing.PostgresDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store.migrate_on_start: false}: a node on a schema that is behind refuses to start, naming
 * {@code parley admin migrate}; that command brings an empty database up to date, says what it
 * applied, and the node then starts without migrating.
 */
class AdminMigrateTest {
    private static final String SECRET = "a-secret-every-node-shares-0123456789";

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @TempDir
    Path dir;

    @Test
    void aNodeThatDoesNotMigrateRefusesAnEmptyPostgresUntilAdminMigrateHasRun() {
        AdminCli cli = new AdminCli(dir, Map.of("PARLEY_STORE_KIND", "postgres", "PARLEY_STORE_URL", db.url(),
                "PARLEY_STORE_USER", "postgres", "PARLEY_JWT_SECRET", SECRET,
                "PARLEY_DATA_DIR", dir.resolve("data").toString(), "PARLEY_STORE_MIGRATE_ON_START", "false"));

        AdminCli.Result refused = cli.run("serve", "--port", "0", "--no-desk");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("is behind").contains("no version (empty database)")
                .contains("store.migrate_on_start is false").contains("PARLEY_STORE_MIGRATE_ON_START")
                .contains("parley admin migrate");
        AdminCli.Result adminRefused = cli.run("admin", "connector", "list");
        assertThat(adminRefused.code()).as("admin commands open the store the same way").isEqualTo(1);
        assertThat(adminRefused.err()).contains("parley admin migrate");

        AdminCli.Result migrated = cli.run("admin", "migrate");
        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("Applied V1 init").contains("Applied V4 session connections");
        java.util.regex.Matcher latest = java.util.regex.Pattern
                .compile("migrated from an empty database to version (\\d+) \\((\\d+) migrations\\)").matcher(migrated.out());
        assertThat(latest.find()).as(migrated.out()).isTrue();
        assertThat(Integer.parseInt(latest.group(2))).as("one line per migration applied")
                .isEqualTo(migrated.out().split("Applied V", -1).length - 1);
        AdminCli.Result again = cli.run("admin", "migrate");
        assertThat(again.out()).contains("is up to date (version " + latest.group(1) + "); nothing applied.");

        try (TestServer node = TestServer.start(dir.resolve("node"), c -> c
                .withStore(db.storeConfig().withMigrateOnStart(false))
                .withJwtSecret(SECRET.getBytes(StandardCharsets.UTF_8)).withDesk(DeskConfig.DISABLED));
             WsClient ws = node.newSession(false)) {
            assertThat(ws.replay()).extracting(e -> e.path("type").asText()).containsExactly("EVENT_TYPE_SESSION_START");
        }
    }

    @Test
    void theEmbeddedStoreObeysTheSameSetting() {
        Path data = dir.resolve("embedded");
        assertThatThrownBy(() -> TestServer.start(data, c -> c.withStore(c.store().withMigrateOnStart(false))))
                .isInstanceOf(StoreException.class).hasMessageContaining("parley.db is behind")
                .hasMessageContaining("parley admin migrate");

        AdminCli.Result migrated = new AdminCli(dir, Map.of("PARLEY_DATA_DIR", data.toString())).run("admin", "migrate");
        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("Applied V4 verified context");

        try (TestServer node = TestServer.start(data, c -> c.withStore(c.store().withMigrateOnStart(false)))) {
            assertThat(node.rest().accessToken()).isNotBlank();
        }
    }
}
