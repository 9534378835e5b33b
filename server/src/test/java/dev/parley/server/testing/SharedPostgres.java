package dev.parley.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one real PostgreSQL 17 server of a test JVM (embedded, no Docker), started by the first test
 * that asks and stopped when the JVM exits. Every caller gets its own fresh database in it, so
 * tests never see each other's rows while paying for the server's start only once.
 */
final class SharedPostgres {
    static final String USER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private SharedPostgres() {
    }

    private static EmbeddedPostgres postgres;

    /** A new, empty database; returns its JDBC URL. */
    static String createDatabase() {
        EmbeddedPostgres server = server();
        String name = "parley_test_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return server.getJdbcUrl(USER, name);
    }

    /** Lazy: JVMs whose tests never ask for PostgreSQL never start it. */
    private static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                // fsync off: tests never pull the plug on the machine, and the disk here is shared.
                postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return postgres;
    }

    /**
     * Stops the server if a test started it, at the end of the JUnit run ({@link StopSharedPostgres}):
     * left to a shutdown hook, stopping it on a busy machine outlasted Surefire's wait for the fork to exit.
     */
    static synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
            } finally {
                postgres = null;
            }
        }
    }
}
