package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.HistorySearchContractTest;
import dev.parley.server.store.NodeStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history search on SQLite FTS5: a word matches as a prefix, there is no stemming. */
class SqliteHistorySearchTest extends HistorySearchContractTest {
    @TempDir
    Path dataDir;

    @Override
    protected NodeStore openEmpty() {
        return SqliteStore.open(dataDir.resolve("data"));
    }

    @Override
    protected Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("data/parley.db"));
    }

    @Test
    void a_word_matches_as_a_prefix_case_and_accents_folded() {
        assertThat(ids("parc")).containsExactly("s-3", "s-2", "s-1");
        assertThat(ids("COURÏER")).containsExactly("s-1");
        assertThat(ids("refunded")).as("no stemming: a longer form is not found").isEmpty();
    }
}
