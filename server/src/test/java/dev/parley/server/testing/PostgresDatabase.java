package dev.parley.server.testing;

import dev.parley.server.config.StoreConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty PostgreSQL database for one test class, in the test JVM's one embedded
 * PostgreSQL server ({@link SharedPostgres}, which {@link TestStores} uses too).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresDatabase db = new PostgresDatabase();
 * ... PostgresStore.open(db.storeConfig()) ...
 * }</pre>
 */
public final class PostgresDatabase implements BeforeAllCallback {
    private volatile String url;

    @Override
    public void beforeAll(ExtensionContext context) {
        url = SharedPostgres.createDatabase();
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
        return StoreConfig.postgres(url(), SharedPostgres.USER, null, 4);
    }
}
