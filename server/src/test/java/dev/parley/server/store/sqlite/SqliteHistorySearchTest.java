package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.EventType;
import dev.parley.server.store.HistoryHit;
import dev.parley.server.store.HistorySearchContractTest;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.TestJournal;
import java.util.ArrayList;
import java.util.List;
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
    void a_word_in_very_many_messages_is_searched_newest_first_with_the_same_answer() {
        store.create(dev.parley.server.store.SessionRecord.open("s-many", "conn-1", "web", false, TestJournal.T0),
                TestJournal.sessionStart("s-many"));
        store.saveHandoff(dev.parley.server.desk.HandoffRecord.waiting("s-many", "conn-1", "billing", TestJournal.T0));
        List<StoredEvent> many = new ArrayList<>();
        for (int i = 0; i <= SqliteOperatorStore.COMMON_MATCHES; i++) {
            many.add(TestJournal.event("s-many", 2 + i, EventType.USER_MESSAGE,
                    "{\"text\":\"bulk parcel number " + i + "\"}", null));
        }
        many.add(TestJournal.sessionEnd("s-many", 10_000, "REASON_USER_END"));
        store.append(many);

        List<HistoryHit> hits = search("parcel", ALL_QUEUES, null, null, null, null, null, 50);
        assertThat(ids(hits)).containsExactly("s-many", "s-3", "s-2", "s-1");
        assertThat(hits.get(0).snippet()).isEqualTo("bulk " + HistoryHit.MARK_START + "parcel" + HistoryHit.MARK_END + " number 0");
        assertThat(hits.get(1).snippet()).isEqualTo(HistoryHit.MARK_START + "Parcel" + HistoryHit.MARK_END + " arrived damaged");
        assertThat(ids(search("parcel", List.of("support"), null, null, null, null, null, 1))).containsExactly("s-3");
        assertThat(ids(search("parcel arrived", ALL_QUEUES, null, null, null, null, null, 50))).containsExactly("s-3", "s-1");
    }

    @Test
    void a_word_matches_as_a_prefix_case_and_accents_folded() {
        assertThat(ids("parc")).containsExactly("s-3", "s-2", "s-1");
        assertThat(ids("COURÏER")).containsExactly("s-1");
        assertThat(ids("refunded")).as("no stemming: a longer form is not found").isEmpty();
    }
}
