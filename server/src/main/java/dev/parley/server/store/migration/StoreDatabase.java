package dev.parley.server.store.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.postgres.PostgresStore;
import dev.parley.server.store.sqlite.SqliteStore;
import javax.sql.DataSource;

/**
 * The configured store's database as plain JDBC, without a store on top and without migrating it
 * on open: what {@code parley admin migrate}, {@code export} and {@code import} work on.
 */
public final class StoreDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final StoreConfig.Kind kind;
    private final String where;
    private final AutoCloseable closer;

    private StoreDatabase(DataSource dataSource, StoreConfig.Kind kind, String where, AutoCloseable closer) {
        this.dataSource = dataSource;
        this.kind = kind;
        this.where = where;
        this.closer = closer;
    }

    /** @throws StoreException if PostgreSQL cannot be reached */
    public static StoreDatabase open(ParleyConfig config) {
        StoreConfig store = config.store();
        if (store.kind() == StoreConfig.Kind.SQLITE) {
            return new StoreDatabase(SqliteStore.dataSource(config.dataDir()), store.kind(),
                    SqliteStore.databaseFile(config.dataDir()).toString(), () -> { });
        }
        HikariConfig hikari = PostgresStore.poolConfig(store);
        hikari.setPoolName("parley-admin");
        // One command: its own connection, and the few Flyway takes beside it.
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(0);
        // An export streams a whole journal through one statement; the node's cut-off for dead links would end it.
        hikari.addDataSourceProperty("socketTimeout", "0");
        try {
            HikariDataSource pool = new HikariDataSource(hikari);
            return new StoreDatabase(pool, store.kind(), store.url(), pool);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StoreException("cannot connect to " + store.url() + ": " + root.getMessage(), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public StoreConfig.Kind kind() {
        return kind;
    }

    /** The database file or JDBC URL, for messages. */
    public String where() {
        return where;
    }

    public SchemaMigrations schema() {
        return SchemaMigrations.of(dataSource, kind, where);
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            throw new StoreException("cannot close " + where + ": " + e.getMessage(), e);
        }
    }
}
