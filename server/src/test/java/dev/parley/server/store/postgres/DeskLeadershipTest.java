package dev.parley.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.store.DeskLeadership;
import dev.parley.server.store.FencedException;
import dev.parley.server.testing.PostgresDatabase;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The desk leader's lease and its fenced writes on a real PostgreSQL: two nodes, one database (issue 11). */
class DeskLeadershipTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    @RegisterExtension
    static final PostgresDatabase db = new PostgresDatabase();

    private PostgresStore store;

    @BeforeEach
    void open() throws SQLException {
        store = PostgresStore.open(db.storeConfig());
        execute("UPDATE desk_leader SET leader_node = NULL, lease_until = NULL");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theFirstNodeLeadsRenewsInItsTermAndNobodyTakesOverBeforeTheLeaseExpires() {
        DeskLeadership one = store.deskLeadership("node-1", TTL).orElseThrow();
        DeskLeadership two = store.deskLeadership("node-2", TTL).orElseThrow();
        DeskLeadership.Term first = one.claim().orElseThrow();
        assertThat(first.leader()).isEqualTo("node-1");
        assertThat(two.claim()).contains(first);
        assertThat(one.claim()).as("a renewal keeps the term").contains(first);
    }

    @Test
    void afterATakeoverTheFormerLeadersDeskWritesAreRefused() throws SQLException {
        DeskLeadership one = store.deskLeadership("node-1", TTL).orElseThrow();
        DeskLeadership two = store.deskLeadership("node-2", TTL).orElseThrow();
        long oldTerm = one.claim().orElseThrow().epoch();

        execute("UPDATE desk_leader SET lease_until = now() - interval '1 second'"); // node-1 paused past its lease
        DeskLeadership.Term taken = two.claim().orElseThrow();
        assertThat(taken).isEqualTo(new DeskLeadership.Term("node-2", oldTerm + 1));

        HandoffRecord record = HandoffRecord.waiting("ses_x", "con_x", "support", Instant.now());
        assertThatThrownBy(() -> one.fenced(oldTerm).saveHandoff(record)).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> one.fenced(oldTerm).saveWaitingSince("ses_x", Instant.now()))
                .isInstanceOf(FencedException.class);
        assertThat(one.claim()).as("node-1 learns who leads now").contains(taken);
    }

    @Test
    void aReleasedLeaseIsTakenAtOnce() {
        DeskLeadership one = store.deskLeadership("node-1", TTL).orElseThrow();
        DeskLeadership two = store.deskLeadership("node-2", TTL).orElseThrow();
        long oldTerm = one.claim().orElseThrow().epoch();
        one.release();
        assertThat(two.claim()).contains(new DeskLeadership.Term("node-2", oldTerm + 1));
    }

    private static void execute(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(db.url()); var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
