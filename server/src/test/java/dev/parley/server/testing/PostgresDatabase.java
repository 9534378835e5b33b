package dev.parley.server.testing;

import dev.parley.server.config.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty PostgreSQL database for one test class, in a real PostgreSQL 17 server that the
 * harness starts itself (no Docker): one server per test JVM, started by the first class that asks,
 * stopped when the whole run ends (JUnit closes it with the root context).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresDatabase db = new PostgresDatabase();
 * ... PostgresStore.open(db.storeConfig()) ...
 * }</pre>
 */
public final class PostgresDatabase implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresDatabase.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String USER = "postgres";

    private volatile String url;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        Server server = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Server.class, k -> Server.start(), Server.class);
        String name = "parley_test_" + DATABASES.incrementAndGet();
        try (Connection c = server.postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        url = server.postgres.getJdbcUrl(USER, name);
    }

    /** {@code jdbc:postgresql://localhost:<port>/<fresh database>}. */
    public String url() {
        if (url == null) {
            throw new IllegalStateException("register PostgresDatabase as a static @RegisterExtension field");
        }
        return url;
    }

    /** The store settings of this database: user postgres, no password (the embedded server trusts local users). */
    public StoreConfig storeConfig() {
        return StoreConfig.postgres(url(), USER, null, 4);
    }

    /** The embedded server, closed by JUnit at the end of the run. */
    private static final class Server implements AutoCloseable {
        final EmbeddedPostgres postgres;

        private Server(EmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        static Server start() {
            try {
                // fsync off: tests never pull the plug on the machine, and the disk here is shared.
                return new Server(EmbeddedPostgres.builder().setServerConfig("fsync", "off").start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }
}
