package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyServer;
import dev.parley.server.store.Connector;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9 item 5: connector rows from before keyed hashing are upgraded in place and keep working. */
class ConnectorTokenMigrationTest {
    private static final String OLD_TOKEN = "pct_made-before-keyed-hashing";

    @TempDir
    Path data;

    private static String sha256Hex(String token) {
        return HexFormat.of().formatHex(ConnectorTokenHasher.sha256(token));
    }

    private Connector stored(String id) {
        try (SqliteStore store = SqliteStore.open(data)) {
            return store.findConnector(id).orElseThrow();
        }
    }

    @Test
    void aPlainSha256RowIsUpgradedAtStartAndItsTokenStillAuthenticates() {
        try (SqliteStore store = SqliteStore.open(data)) {
            store.createConnector(new Connector("con_old", sha256Hex(OLD_TOKEN), "example.com", Instant.EPOCH, null));
        }

        try (TestServer server = TestServer.start(data)) {
            assertThat(server.rest().requestAccessToken(OLD_TOKEN, "example.com").statusCode()).isEqualTo(200);
        }
        String upgraded = stored("con_old").tokenHash();
        assertThat(upgraded).startsWith("h1:").isNotEqualTo(sha256Hex(OLD_TOKEN));

        // A second start finds nothing to do and the token still works.
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.rest().requestAccessToken(OLD_TOKEN, "example.com").statusCode()).isEqualTo(200);
        }
        assertThat(stored("con_old").tokenHash()).isEqualTo(upgraded);
    }

    @Test
    void theDemoConnectorsLowEntropyTokenIsNotStoredAsItsSha256() {
        TestServer.start(data).close();

        assertThat(stored(ParleyServer.DEMO_CONNECTOR_ID).tokenHash())
                .startsWith("h1:").doesNotContain(sha256Hex(TestServer.TOKEN));
    }

    @Test
    void aSecondRunChangesNothingAndKeepsWhatElseTheRowSays() {
        InMemoryConnectorStore store = new InMemoryConnectorStore();
        ConnectorTokenHasher hasher = ConnectorTokenHasher.fromServerSecret(new byte[32]);
        store.createConnector(new Connector("con_a", sha256Hex("a"), "a.com", Instant.EPOCH, Instant.EPOCH));
        store.createConnector(new Connector("con_b", hasher.hash("b"), "b.com", Instant.EPOCH, null));
        ConnectorTokenMigration migration = new ConnectorTokenMigration(store, hasher);

        assertThat(migration.run()).isEqualTo(1);
        assertThat(migration.run()).isZero();

        assertThat(store.findConnector("con_a").orElseThrow())
                .isEqualTo(new Connector("con_a", hasher.hash("a"), "a.com", Instant.EPOCH, Instant.EPOCH));
        assertThat(store.findConnectorByTokenHash(hasher.hash("b"))).isPresent();
    }
}
