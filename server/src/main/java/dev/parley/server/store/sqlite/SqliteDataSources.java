package dev.parley.server.store.sqlite;

import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Builds the connection settings every Parley connection to the journal file shares. Pragmas are
 * per connection in SQLite (except {@code journal_mode}, which sticks to the file), so each
 * connection must be opened with them.
 */
final class SqliteDataSources {

    /**
     * How long a connection waits for another writer (the admin CLI, or a checkpoint) before
     * failing with SQLITE_BUSY.
     */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private SqliteDataSources() {
    }

    static SQLiteDataSource forFile(Path dbFile) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // WAL lets readers run while the writer commits.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: in WAL mode each commit fsyncs the log, so an acknowledged event survives power loss.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + dbFile.toAbsolutePath());
        return dataSource;
    }
}
