package dev.parley.server.testing;

import dev.parley.server.StoreFactory;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.store.NodeStore;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which store the test servers and fixtures use: the embedded SQLite file in the data directory
 * (the default), or, with {@code -Dparley.test.store=postgres}, a database of its own per data
 * directory in the JVM's one embedded PostgreSQL. Keying the database by the data directory keeps
 * the SQLite semantics tests rely on: a node restarted on the same directory finds its data again,
 * a fixture opening the directory's store sees the node's rows, and a new directory starts empty.
 * The PostgreSQL store is used as the product uses it; only the database behind it is shared.
 *
 * <p>Suites that should run on both stores carry {@code @Tag(TestStores.BOTH)}; the build runs
 * them a second time with the property set (the {@code postgres-store} Surefire execution).
 */
public final class TestStores {
    /** The JUnit tag of the suites the build runs on PostgreSQL too. */
    public static final String BOTH = "both-stores";
    public static final String PROPERTY = "parley.test.store";

    private static final Map<Path, StoreConfig> DATABASES = new ConcurrentHashMap<>();

    private TestStores() {
    }

    /** Whether this run puts test servers on PostgreSQL. */
    public static boolean postgres() {
        String kind = System.getProperty(PROPERTY, "sqlite").strip().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "sqlite", "" -> false;
            case "postgres" -> true;
            default -> throw new IllegalArgumentException(PROPERTY + " must be sqlite or postgres, not " + kind);
        };
    }

    /**
     * The config a test server starts with: {@code config} itself, unless this is a PostgreSQL run
     * and the test left the store at the embedded default, in which case the data directory's own
     * database. Tests that chose a store themselves (several nodes on one database) keep it.
     */
    public static ParleyConfig apply(ParleyConfig config) {
        if (!postgres() || !config.store().equals(StoreConfig.DEFAULTS)) {
            return config;
        }
        ParleyConfig onPostgres = config.withStore(DATABASES.computeIfAbsent(key(config.dataDir()),
                dir -> StoreConfig.postgres(SharedPostgres.createDatabase(), SharedPostgres.USER, null, 4)));
        // PostgreSQL mode needs a configured secret. The data directory's own jwt.secret, as an operator moving
        // an embedded node would pass it, keeps tests that read that file (to seal keys, sign tokens) right.
        return config.jwtSecret() != null ? onPostgres : onPostgres.withJwtSecret(JwtSecret.loadOrCreate(config.dataDir()));
    }

    /**
     * The store a test server on {@code dataDir} uses (or will use), opened a second time, as the
     * admin CLI or a second process would: for fixtures that seed or inspect a node's data.
     */
    public static NodeStore open(Path dataDir) {
        return StoreFactory.open(apply(ParleyConfig.DEFAULTS.withDataDir(dataDir)));
    }

    private static Path key(Path dataDir) {
        return dataDir.toAbsolutePath().normalize();
    }
}
