package dev.parley.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.EventType;
import dev.parley.server.store.HistoryHit;
import dev.parley.server.store.HistorySearchContractTest;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.TestJournal;
import java.util.ArrayList;
import java.util.List;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The history search on PostgreSQL full-text search: English stems, not prefixes. */
class PostgresHistorySearchTest extends HistorySearchContractTest {
    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    @Override
    protected NodeStore openEmpty() throws SQLException {
        NodeStore opened = PostgresStore.open(db.storeConfig());
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE connectors, sessions, events, live_agents, handoffs, session_contexts,"
                    + " operator_api_keys, erased_sessions, message_texts CASCADE");
        }
        return opened;
    }

    @Override
    protected Connection raw() throws SQLException {
        return DriverManager.getConnection(db.url());
    }

    @Test
    void a_word_in_very_many_messages_is_searched_newest_first_with_the_same_answer() {
        store.create(dev.parley.server.store.SessionRecord.open("s-many", "conn-1", "web", false, TestJournal.T0),
                TestJournal.sessionStart("s-many"));
        store.saveHandoff(dev.parley.server.desk.HandoffRecord.waiting("s-many", "conn-1", "billing", TestJournal.T0));
        List<StoredEvent> many = new ArrayList<>();
        for (int i = 0; i <= PostgresOperatorStore.COMMON_MATCHES; i++) {
            many.add(TestJournal.event("s-many", 2 + i, EventType.USER_MESSAGE,
                    "{\"text\":\"bulk parcel " + (i == 0 ? "first" : "later") + "\"}", null));
        }
        many.add(TestJournal.sessionEnd("s-many", 10_000, "REASON_USER_END"));
        store.append(many);

        List<HistoryHit> hits = search("parcel", ALL_QUEUES, null, null, null, null, null, 50);
        assertThat(ids(hits)).containsExactly("s-many", "s-3", "s-2", "s-1");
        assertThat(hits.get(0).snippet()).as("the first matching message").isEqualTo("bulk " + HistoryHit.MARK_START
                + "parcel" + HistoryHit.MARK_END + " first");
        assertThat(ids(search("parcel", List.of("support"), null, null, null, null, null, 1))).containsExactly("s-3");
        assertThat(ids(search("parcels arrived", ALL_QUEUES, null, null, null, null, null, 50)))
                .containsExactly("s-3", "s-1");
    }

    @Test
    void a_word_matches_by_its_english_stem() {
        assertThat(ids("parcels")).containsExactly("s-3", "s-2", "s-1");
        assertThat(ids("refunded")).containsExactly("s-1");
        assertThat(ids("parc")).as("stems, not prefixes").isEmpty();
    }
}
