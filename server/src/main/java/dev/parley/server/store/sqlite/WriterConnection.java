package dev.parley.server.store.sqlite;

import dev.parley.server.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection that writes. SQLite admits a single writer per file, so funnelling every write
 * of this process through one connection and a lock avoids SQLITE_BUSY between our own threads;
 * the busy timeout then only covers other processes.
 */
final class WriterConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriterConnection.class);

    /** A unit of work run inside a write transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;

    WriterConnection(DataSource dataSource) throws SQLException {
        this.connection = dataSource.getConnection();
        // Transactions are begun explicitly: the driver's own autocommit=false would hold a
        // transaction open between our writes, and an IMMEDIATE one would lock out the admin CLI.
        connection.setAutoCommit(true);
    }

    /**
     * Runs {@code work} in one IMMEDIATE transaction: the write lock is taken up front, so a
     * concurrent writer in another process makes us wait (busy timeout) instead of failing half way.
     */
    <T> T inTransaction(String what, Work<T> work) {
        lock.lock();
        try (Statement tx = connection.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run(connection);
                tx.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(tx, what);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static void rollback(Statement tx, String what) {
        try {
            tx.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back (e.g. after SQLITE_FULL); nothing more to undo.
            LOG.warn("rollback of {} failed: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            connection.close();
        } finally {
            lock.unlock();
        }
    }
}
