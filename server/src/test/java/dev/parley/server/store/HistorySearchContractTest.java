package dev.parley.server.store;

import static dev.parley.server.store.TestJournal.CONNECTOR_ID;
import static dev.parley.server.store.TestJournal.T0;
import static dev.parley.server.store.TestJournal.connector;
import static dev.parley.server.store.TestJournal.event;
import static dev.parley.server.store.TestJournal.sessionEnd;
import static dev.parley.server.store.TestJournal.sessionStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.EventType;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.HandoffRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The desk history's search (issue 14) on every adapter: the index written with the events, search
 * by words, filters, paging, queue scoping and erasure. Word matching differs by adapter (prefixes
 * on SQLite, English stems on PostgreSQL): each subclass tests its own.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class HistorySearchContractTest {
    protected static final List<String> ALL_QUEUES = List.of("support", "billing");

    protected NodeStore store;
    protected OperatorStore operators;

    protected abstract NodeStore openEmpty() throws Exception;

    protected abstract Connection raw() throws SQLException;

    @BeforeEach
    void open() throws Exception {
        store = openEmpty();
        operators = store.operators();
        store.createConnector(connector(CONNECTOR_ID, "hash-1"));
        store.createConnector(new Connector("conn-2", "hash-2", "example.com", T0, null));
        store.createAgent(new DeskAgent("agt_1", CONNECTOR_ID, "Sarah", null, List.of("support"), 3), "x");
        store.createAgent(new DeskAgent("agt_2", CONNECTOR_ID, "Omar", null, List.of("billing"), 3), "x");
        // s-1 (support, Sarah): a streamed AI reply whose chunks split the word "refund".
        conversation("s-1", CONNECTOR_ID, "support", "agt_1", 100,
                event("s-1", 2, EventType.USER_MESSAGE, "{\"text\":\"My parcel never arrived\"}", null),
                chunk("s-1", 3, "We will ref", false),
                chunk("s-1", 4, "und your order", true),
                event("s-1", 5, EventType.LIVE_AGENT_MESSAGE,
                        "{\"agent_name\":\"Sarah\",\"text\":\"The courier lost it, sorry\"}", null));
        conversation("s-2", CONNECTOR_ID, "billing", "agt_2", 200,
                event("s-2", 2, EventType.USER_MESSAGE, "{\"text\":\"The invoice for my parcel is wrong\"}", null));
        conversation("s-3", CONNECTOR_ID, "support", "agt_1", 300,
                event("s-3", 2, EventType.USER_MESSAGE, "{\"text\":\"Parcel arrived damaged\"}", null));
        // Open, and of another connector: never in this connector's history.
        create("s-open", CONNECTOR_ID);
        store.append(List.of(event("s-open", 2, EventType.USER_MESSAGE, "{\"text\":\"parcel\"}", null)));
        conversation("s-other", "conn-2", "support", null, 400,
                event("s-other", 2, EventType.USER_MESSAGE, "{\"text\":\"parcel\"}", null));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void create(String id, String connectorId) {
        StoredEvent start = sessionStart(id);
        store.create(SessionRecord.open(id, connectorId, "web", true, T0),
                new StoredEvent(id, 1, start.eventId(), start.type(), T0, start.json(), null));
    }

    /** A conversation handed to {@code queue}, taken by {@code agent} (if any), ended at T0 + endSeq seconds. */
    private void conversation(String id, String connectorId, String queue, String agent, int endSeq, StoredEvent... events) {
        create(id, connectorId);
        HandoffRecord handoff = HandoffRecord.waiting(id, connectorId, queue, T0);
        store.saveHandoff(agent == null ? handoff : handoff.assignedTo(agent, T0));
        for (StoredEvent e : events) {
            store.append(List.of(e)); // one append each: a stream's chunks arrive in separate group commits
        }
        store.append(List.of(sessionEnd(id, endSeq, "REASON_USER_END")));
    }

    private static StoredEvent chunk(String sessionId, long seq, String text, boolean complete) {
        return event(sessionId, seq, EventType.POLY_AGENT_MESSAGE_CHUNK, "{\"message_id\":\"m-" + sessionId
                + "\",\"agent_name\":\"Poly\",\"text\":\"" + text + "\",\"is_complete\":" + complete + "}", null);
    }

    protected List<HistoryHit> search(String text, List<String> queues, String queue, String agent,
                                      Instant from, Instant until, HistoryQuery.Position after, int limit) {
        return operators.searchHistory(new HistoryQuery(CONNECTOR_ID, queues, text, queue, agent, from, until, after, limit));
    }

    protected List<String> ids(String text) {
        return ids(search(text, ALL_QUEUES, null, null, null, null, null, 50));
    }

    protected static List<String> ids(List<HistoryHit> hits) {
        return hits.stream().map(h -> h.summary().session().id()).toList();
    }

    protected List<String> indexed(String sessionId) throws SQLException {
        List<String> bodies = new ArrayList<>();
        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement(
                "SELECT body FROM message_texts WHERE session_id = ? ORDER BY seq")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bodies.add(rs.getString(1));
                }
            }
        }
        return bodies;
    }

    @Test
    void the_index_holds_each_message_once_with_a_streamed_reply_joined() throws SQLException {
        assertThat(indexed("s-1")).containsExactly("My parcel never arrived", "We will refund your order",
                "The courier lost it, sorry");
    }

    @Test
    void a_word_finds_ended_conversations_newest_first_with_a_highlighted_snippet() {
        List<HistoryHit> hits = search("parcel", ALL_QUEUES, null, null, null, null, null, 50);

        assertThat(ids(hits)).containsExactly("s-3", "s-2", "s-1");
        assertThat(hits.get(0).snippet()).isEqualTo(HistoryHit.MARK_START + "Parcel" + HistoryHit.MARK_END + " arrived damaged");
        assertThat(hits.get(2).snippet()).contains(HistoryHit.MARK_START + "parcel" + HistoryHit.MARK_END);
        assertThat(ids("refund")).as("a word split across two chunks").containsExactly("s-1");
        assertThat(ids("courier lost")).as("every word, in one message").containsExactly("s-1");
        assertThat(ids("courier invoice")).isEmpty();
        assertThat(ids("nothing-like-this")).isEmpty();
        assertThat(ids("\"* OR NEAR(")).as("syntax typed by a user is only text").isEmpty();
    }

    @Test
    void without_words_every_ended_conversation_is_listed_without_a_snippet() {
        List<HistoryHit> hits = search(" ", ALL_QUEUES, null, null, null, null, null, 50);
        assertThat(ids(hits)).containsExactly("s-3", "s-2", "s-1");
        assertThat(hits).allSatisfy(h -> assertThat(h.snippet()).isNull());
    }

    @Test
    void filters_by_queue_agent_and_end_date() {
        assertThat(ids(search("parcel", ALL_QUEUES, "billing", null, null, null, null, 50))).containsExactly("s-2");
        assertThat(ids(search(null, ALL_QUEUES, null, "agt_1", null, null, null, 50))).containsExactly("s-3", "s-1");
        assertThat(ids(search(null, ALL_QUEUES, null, null, T0.plusSeconds(200), T0.plusSeconds(300), null, 50)))
                .as("from inclusive, until exclusive").containsExactly("s-2");
    }

    @Test
    void an_agent_sees_only_conversations_of_their_own_queues() {
        assertThat(ids(search("parcel", List.of("billing"), null, null, null, null, null, 50))).containsExactly("s-2");
        assertThat(ids(search("parcel", List.of("billing"), "support", null, null, null, null, 50)))
                .as("a filter cannot widen the scope").isEmpty();
        assertThat(ids(search("parcel", List.of(), null, null, null, null, null, 50))).isEmpty();
    }

    @Test
    void pages_follow_each_other_without_repeats() {
        List<String> seen = new ArrayList<>();
        HistoryQuery.Position after = null;
        for (int page = 0; page < 5; page++) {
            List<HistoryHit> hits = search("parcel", ALL_QUEUES, null, null, null, null, after, 2);
            if (hits.isEmpty()) {
                break;
            }
            seen.addAll(ids(hits));
            SessionRecord last = hits.get(hits.size() - 1).summary().session();
            after = new HistoryQuery.Position(last.endedAt(), last.id());
        }
        assertThat(seen).containsExactly("s-3", "s-2", "s-1");
    }

    @Test
    void erasure_removes_the_conversation_from_the_index() throws SQLException {
        assertThat(operators.erase(new ErasureRecord("s-1", CONNECTOR_ID, T0.plusSeconds(999), "test"))).isTrue();

        assertThat(indexed("s-1")).isEmpty();
        assertThat(ids("refund")).isEmpty();
        assertThat(ids("courier")).isEmpty();
        assertThat(ids("parcel")).containsExactly("s-3", "s-2");
    }
}
