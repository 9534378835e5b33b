package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.store.StoreException;
import dev.parley.server.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDeskStoreTest {
    @TempDir
    Path dir;
    private SqliteStore store;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeEach
    void open() {
        store = DeskFixtures.storeWithConnector(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void agentsAreFoundByIdAndNameWithTheirHash() {
        DeskAgent sarah = new DeskAgent("agt_1", "con_demo", "Sarah", "https://x.test/a.png", List.of("support", "sales"), 3);
        DeskAgent tom = new DeskAgent("agt_2", "con_demo", "Tom", null, List.of("support"), 1);
        store.createAgent(sarah, "$2y$hash1");
        store.createAgent(tom, "$2y$hash2");

        assertThat(store.findAgent("agt_1")).contains(sarah);
        assertThat(store.findAgentByName("Tom")).contains(tom);
        assertThat(store.findAgentByName("Nobody")).isEmpty();
        assertThat(store.passwordHash("agt_2")).contains("$2y$hash2");
        assertThat(store.listAgents()).containsExactlyInAnyOrder(sarah, tom);
    }

    @Test
    void agentNamesAreUnique() {
        store.createAgent(new DeskAgent("agt_1", "con_demo", "Sarah", null, List.of("support"), 3), "h");

        assertThatThrownBy(() -> store.createAgent(new DeskAgent("agt_2", "con_demo", "Sarah", null, List.of("x"), 1), "h"))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void saveHandoffUpsertsAndOpenHandoffsSkipClosedOnesOldestFirst() {
        for (String id : List.of("s1", "s2", "s3")) {
            DeskFixtures.session(store, id);
        }
        store.saveHandoff(HandoffRecord.waiting("s2", "con_demo", "support", t0.plusSeconds(2)));
        store.saveHandoff(HandoffRecord.waiting("s1", "con_demo", "support", t0.plusSeconds(1)));
        store.saveHandoff(HandoffRecord.waiting("s3", "con_demo", "sales", t0.plusSeconds(3)));
        HandoffRecord assigned = HandoffRecord.waiting("s1", "con_demo", "support", t0.plusSeconds(1))
                .assignedTo("agt_1", t0.plusSeconds(10));
        store.saveHandoff(assigned);
        store.saveHandoff(HandoffRecord.waiting("s3", "con_demo", "sales", t0.plusSeconds(3)).closed());

        assertThat(store.openHandoffs()).containsExactly(assigned,
                HandoffRecord.waiting("s2", "con_demo", "support", t0.plusSeconds(2)));
    }

    @Test
    void handoffsSurviveReopeningAndArePurgedWithTheirSession() {
        DeskFixtures.session(store, "s1");
        HandoffRecord record = HandoffRecord.waiting("s1", "con_demo", "support", t0);
        store.saveHandoff(record);
        store.close();
        store = SqliteStore.open(dir);

        assertThat(store.openHandoffs()).containsExactly(record);
        // Not ended: the purge leaves it.
        store.purgeEndedBefore(t0.plusSeconds(3600));
        assertThat(store.openHandoffs()).containsExactly(record);
    }
}
