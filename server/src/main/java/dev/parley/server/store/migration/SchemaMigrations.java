package dev.parley.server.store.migration;

import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.store.StoreException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The Flyway schema of one store: {@code db/migration} for the embedded SQLite file,
 * {@code db/postgresql} for PostgreSQL. Opening a store either applies what is pending
 * ({@code store.migrate_on_start: true}, the default) or refuses a schema that is behind, so a node
 * never runs on tables it does not know; {@code parley admin migrate} applies them on purpose.
 */
public final class SchemaMigrations {
    private final Flyway flyway;
    private final String where;

    private SchemaMigrations(Flyway flyway, String where) {
        this.flyway = flyway;
        this.where = where;
    }

    /** @param where how messages name the database ({@code data/parley.db}, a JDBC URL) */
    public static SchemaMigrations of(DataSource dataSource, StoreConfig.Kind kind, String where) {
        String location = kind == StoreConfig.Kind.POSTGRES ? "classpath:db/postgresql" : "classpath:db/migration";
        return new SchemaMigrations(Flyway.configure().dataSource(dataSource).locations(location).load(), where);
    }

    /** One applied (or pending) migration, e.g. version {@code 4}, description {@code session connections}. */
    public record Step(String version, String description) {
        @Override
        public String toString() {
            return "V" + version + " " + description;
        }
    }

    /** @param before the version before, {@code null} on an empty database */
    public record Outcome(String before, String after, List<Step> applied) {
    }

    /**
     * Applies every pending migration. Several processes at once are safe on PostgreSQL: Flyway
     * serialises them with an advisory lock.
     *
     * @throws StoreException if a migration fails
     */
    public Outcome migrate() {
        try {
            String before = currentVersion();
            MigrateResult result = flyway.migrate();
            List<Step> applied = result.migrations.stream()
                    .map(m -> new Step(m.version, m.description.toLowerCase(java.util.Locale.ROOT)))
                    .toList();
            return new Outcome(before, currentVersion(), applied);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("schema migration of " + where + " failed: " + e.getMessage(), e);
        }
    }

    /** The migrations this Parley has that the database has not applied yet. */
    public List<Step> pending() {
        try {
            return Arrays.stream(flyway.info().pending())
                    .map(m -> new Step(m.getVersion().getVersion(), m.getDescription().toLowerCase(java.util.Locale.ROOT)))
                    .toList();
        } catch (RuntimeException e) {
            throw new StoreException("cannot read the schema version of " + where + ": " + e.getMessage(), e);
        }
    }

    /** The version last applied, {@code null} on a database Flyway never touched. */
    public String currentVersion() {
        MigrationInfo current = flyway.info().current();
        if (current == null) {
            return null;
        }
        MigrationVersion version = current.getVersion();
        return version == null ? null : version.getVersion();
    }

    /**
     * What opening the store does: migrate, or (with {@code migrate_on_start} off) insist that
     * nothing is pending.
     *
     * @throws StoreException naming {@code parley admin migrate} when the schema is behind
     */
    public void onOpen(boolean migrateOnStart) {
        if (migrateOnStart) {
            migrate();
            return;
        }
        List<Step> pending = pending();
        if (!pending.isEmpty()) {
            String version = currentVersion();
            throw new StoreException("the schema of " + where + " is behind: at "
                    + (version == null ? "no version (empty database)" : "version " + version)
                    + ", pending " + pending.stream().map(Step::toString).toList()
                    + ". store.migrate_on_start is false (" + ConfigLoader.ENV_STORE_MIGRATE_ON_START
                    + "), so this node does not migrate it: run `parley admin migrate` with the same configuration first");
        }
    }
}
