package dev.parley.server.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a node keeps its truth ({@code store:} in {@code parley.yaml}): the embedded SQLite file in
 * the data directory (the default, one node), or a PostgreSQL database (production mode). The
 * password comes only from an environment variable or a file, resolved at load time into
 * {@code password}, so a missing one stops the start-up rather than the first connection.
 *
 * @param url          {@code jdbc:postgresql://host:port/db}; {@code null} for SQLite
 * @param passwordEnv  name of the environment variable holding the password ({@code store.password_env})
 * @param passwordFile file holding the password ({@code store.password_file})
 * @param password     what {@code passwordEnv} or {@code passwordFile} held, {@code null} when neither is set
 * @param poolSize     connections the node keeps open to PostgreSQL at most
 * @param migrateOnStart whether opening the store applies pending Flyway migrations
 *                     ({@code store.migrate_on_start}, default true); when false a store whose
 *                     schema is behind is refused, and {@code parley admin migrate} brings it up to date
 */
public record StoreConfig(Kind kind, String url, String user, String passwordEnv, Path passwordFile,
                          Secret password, int poolSize, boolean migrateOnStart) {

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final StoreConfig DEFAULTS = new StoreConfig(Kind.SQLITE, null, null, null, null, null, DEFAULT_POOL_SIZE, true);

    /** The store kinds, spelt in YAML and {@code PARLEY_STORE_KIND} as {@link #yamlName()}. */
    public enum Kind {
        SQLITE, POSTGRES;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return empty for an unknown name */
        public static Optional<Kind> parse(String name) {
            for (Kind kind : values()) {
                if (kind.yamlName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** A PostgreSQL store with its password already in hand (tests, embedders). */
    public static StoreConfig postgres(String url, String user, Secret password, int poolSize) {
        return new StoreConfig(Kind.POSTGRES, url, user, null, null, password, poolSize, true);
    }

    public boolean isPostgres() {
        return kind == Kind.POSTGRES;
    }

    StoreConfig withKind(Kind value) {
        return new StoreConfig(value, url, user, passwordEnv, passwordFile, password, poolSize, migrateOnStart);
    }

    StoreConfig withUrl(String value) {
        return new StoreConfig(kind, value, user, passwordEnv, passwordFile, password, poolSize, migrateOnStart);
    }

    StoreConfig withUser(String value) {
        return new StoreConfig(kind, url, value, passwordEnv, passwordFile, password, poolSize, migrateOnStart);
    }

    StoreConfig withPasswordSources(String env, Path file) {
        return new StoreConfig(kind, url, user, env, file, password, poolSize, migrateOnStart);
    }

    StoreConfig withPassword(Secret value) {
        return new StoreConfig(kind, url, user, passwordEnv, passwordFile, value, poolSize, migrateOnStart);
    }

    StoreConfig withPoolSize(int value) {
        return new StoreConfig(kind, url, user, passwordEnv, passwordFile, password, value, migrateOnStart);
    }

    public StoreConfig withMigrateOnStart(boolean value) {
        return new StoreConfig(kind, url, user, passwordEnv, passwordFile, password, poolSize, value);
    }
}
