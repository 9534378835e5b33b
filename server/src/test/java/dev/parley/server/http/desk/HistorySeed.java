package dev.parley.server.http.desk;

import dev.parley.protocol.EventType;
import dev.parley.server.ParleyServer;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.TestJournal;
import dev.parley.server.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Ended conversations of the demo connector written into a running node's store, as the journal
 * would have stored them: h-support (Sarah), h-sales (Tom), h-billing (a queue neither serves).
 */
public final class HistorySeed {
    private HistorySeed() {
    }

    public static void seed(DeskTestNode node) {
        seed(node.server().dataDir());
    }

    static void seed(Path dataDir) {
        try (SqliteStore store = SqliteStore.open(dataDir)) {
            conversation(store, "h-support", "support", "agt_sarah", 100,
                    "Where is my parcel? It never arrived", "The courier lost your parcel, a refund is on its way");
            conversation(store, "h-sales", "sales", "agt_tom", 200,
                    "Do you ship a parcel abroad?", "Yes, to most countries");
            conversation(store, "h-billing", "billing", null, 300,
                    "My parcel invoice is wrong", "Let me check");
        }
    }

    private static void conversation(SqliteStore store, String id, String queue, String agent, int endSeq,
                                     String user, String liveAgent) {
        StoredEvent start = TestJournal.sessionStart(id);
        store.create(SessionRecord.open(id, ParleyServer.DEMO_CONNECTOR_ID, "web", false, TestJournal.T0),
                new StoredEvent(id, 1, start.eventId(), start.type(), TestJournal.T0, start.json(), null));
        HandoffRecord handoff = HandoffRecord.waiting(id, ParleyServer.DEMO_CONNECTOR_ID, queue, TestJournal.T0);
        store.saveHandoff(agent == null ? handoff : handoff.assignedTo(agent, TestJournal.T0));
        store.append(List.of(
                TestJournal.event(id, 2, EventType.USER_MESSAGE, "{\"text\":\"" + user + "\"}", null),
                TestJournal.event(id, 3, EventType.LIVE_AGENT_MESSAGE,
                        "{\"agent_name\":\"Agent\",\"text\":\"" + liveAgent + "\"}", null),
                TestJournal.sessionEnd(id, endSeq, "REASON_USER_END")));
    }
}
