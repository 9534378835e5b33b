package dev.parley.server.store;

import static dev.parley.server.store.TestJournal.CONNECTOR_ID;
import static dev.parley.server.store.TestJournal.T0;
import static dev.parley.server.store.TestJournal.connector;
import static dev.parley.server.store.TestJournal.event;
import static dev.parley.server.store.TestJournal.sessionEnd;
import static dev.parley.server.store.TestJournal.sessionStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.EventType;
import dev.parley.server.csat.CsatOutcome;
import dev.parley.server.csat.CsatRating;
import dev.parley.server.webhooks.WebhookEventType;
import dev.parley.server.webhooks.WebhookSubscription;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.notes.DeskNote;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What every adapter's {@link OperatorStore} must do (issue 14), run against SQLite and an embedded
 * PostgreSQL by a subclass that says how to open it and how to read its tables behind its back.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class OperatorStoreContractTest {
    /** What the conversation under erasure said, in every place content can be. */
    private static final String SECRET = "pineapple-7731";

    protected NodeStore store;
    protected OperatorStore operators;

    protected abstract NodeStore openEmpty() throws Exception;

    /** A connection straight to the database, for reading every table. */
    protected abstract Connection raw() throws SQLException;

    /** The schema whose tables {@link #tablesContaining} reads (null for SQLite's only one). */
    protected abstract String schema();

    @BeforeEach
    void open() throws Exception {
        store = openEmpty();
        operators = store.operators();
        store.createConnector(connector(CONNECTOR_ID, "hash-1"));
        store.createConnector(new Connector("conn-2", "hash-2", "example.com", T0, null));
    }

    @AfterEach
    void close() {
        store.close();
    }

    // ---- API keys ------------------------------------------------------------------------------

    @Test
    void api_keys_are_listed_and_a_revoked_one_is_no_longer_active() {
        operators.createApiKey(new ApiKey("opk_1", "billing export", "h1:aa", T0, null));
        operators.createApiKey(new ApiKey("opk_2", "desk", "h1:bb", T0.plusSeconds(1), null));

        assertThat(operators.activeApiKeysByHash(T0.plusSeconds(5))).containsOnlyKeys("h1:aa", "h1:bb");
        assertThat(operators.revokeApiKey("opk_1", T0.plusSeconds(10))).isTrue();
        assertThat(operators.revokeApiKey("opk_1", T0.plusSeconds(11))).as("already revoked").isFalse();
        assertThat(operators.revokeApiKey("opk_none", T0)).isFalse();

        assertThat(operators.activeApiKeysByHash(T0.plusSeconds(10))).containsOnlyKeys("h1:bb");
        assertThat(operators.activeApiKeysByHash(T0.plusSeconds(9))).as("not yet in force").containsKey("h1:aa");
        assertThat(operators.listApiKeys()).extracting(ApiKey::id).containsExactly("opk_1", "opk_2");
        assertThat(operators.listApiKeys().get(0).revokedAt()).isEqualTo(T0.plusSeconds(10));
    }

    // ---- listing -------------------------------------------------------------------------------

    private void createSession(String id, String connectorId, Instant at) {
        store.create(SessionRecord.open(id, connectorId, "web", false, at), sessionStartAt(id, at));
    }

    private static StoredEvent sessionStartAt(String id, Instant at) {
        StoredEvent start = sessionStart(id);
        return new StoredEvent(id, 1, start.eventId(), start.type(), at, start.json(), null);
    }

    @Test
    void the_listing_filters_by_connector_time_state_handoff_and_live_agent() {
        createSession("s-a", CONNECTOR_ID, T0);
        createSession("s-b", CONNECTOR_ID, T0.plusSeconds(60));
        createSession("s-c", "conn-2", T0.plusSeconds(120));
        createSession("s-d", CONNECTOR_ID, T0.plusSeconds(180));
        store.append(List.of(sessionEnd("s-a", 2, "REASON_USER_END")));
        // s-b: handed off by the AI, then taken by a live agent through the desk.
        store.append(List.of(event("s-b", 2, EventType.POLY_AGENT_TRIGGERED_HANDOFF, "{}", null)));
        store.createAgent(new DeskAgent("agt_1", CONNECTOR_ID, "Sarah", null, List.of("support"), 3), "x");
        store.saveHandoff(HandoffRecord.waiting("s-b", CONNECTOR_ID, "support", T0.plusSeconds(61))
                .assignedTo("agt_1", T0.plusSeconds(62)));
        // s-d: a client-managed handoff, no desk record.
        store.append(List.of(event("s-d", 2, EventType.CLIENT_HANDOFF_REQUIRED, "{}", null)));

        assertThat(ids(query(CONNECTOR_ID, null, null, null, null, null))).containsExactly("s-d", "s-b", "s-a");
        assertThat(ids(query(null, T0.plusSeconds(60), T0.plusSeconds(180), null, null, null)))
                .as("from inclusive, until exclusive").containsExactly("s-c", "s-b");
        assertThat(ids(query(null, null, null, true, null, null))).containsExactly("s-a");
        assertThat(ids(query(null, null, null, false, null, null))).containsExactly("s-d", "s-c", "s-b");
        assertThat(ids(query(null, null, null, null, true, null))).containsExactly("s-d", "s-b");
        assertThat(ids(query(null, null, null, null, false, null))).containsExactly("s-c", "s-a");
        assertThat(ids(query(null, null, null, null, null, "agt_1"))).containsExactly("s-b");
        assertThat(ids(query(CONNECTOR_ID, null, null, false, true, null))).containsExactly("s-d", "s-b");

        SessionSummary b = operators.findSessionSummary("s-b").orElseThrow();
        assertThat(b.handedOff()).isTrue();
        assertThat(b.handoff()).isEqualTo(new SessionSummary.Handoff("support", "ASSIGNED", "agt_1"));
        SessionSummary a = operators.findSessionSummary("s-a").orElseThrow();
        assertThat(a.session().ended()).isTrue();
        assertThat(a.handoff()).isNull();
        assertThat(a.handedOff()).isFalse();
        assertThat(operators.findSessionSummary("nope")).isEmpty();
    }

    @Test
    void pages_neither_repeat_nor_skip_sessions_while_new_ones_arrive() {
        Set<String> before = new LinkedHashSet<>();
        for (int i = 0; i < 23; i++) {
            // Several sessions share a creation time: the id breaks the tie.
            String id = String.format("s-%02d", i);
            createSession(id, CONNECTOR_ID, T0.plusSeconds(i / 3));
            before.add(id);
        }
        List<String> seen = new ArrayList<>();
        SessionQuery.Position after = null;
        int pages = 0;
        while (true) {
            List<SessionSummary> page = operators.listSessions(
                    new SessionQuery(CONNECTOR_ID, null, null, null, null, null, after, 5));
            page.forEach(s -> seen.add(s.session().id()));
            // Newcomers between pages, some created "in the past" (a clock behind), some now.
            createSession("new-" + pages, CONNECTOR_ID, T0.plusSeconds(1000 + pages));
            pages++;
            if (page.size() < 5) {
                break;
            }
            SessionSummary last = page.get(page.size() - 1);
            after = new SessionQuery.Position(last.session().createdAt(), last.session().id());
        }

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(reversed(before));
        assertThat(pages).isEqualTo(5);
    }

    private static List<String> reversed(Set<String> ids) {
        List<String> list = new ArrayList<>(ids);
        java.util.Collections.reverse(list);
        return list;
    }

    private List<SessionSummary> query(String connector, Instant from, Instant until, Boolean ended, Boolean handoff,
                                       String agent) {
        return operators.listSessions(new SessionQuery(connector, from, until, ended, handoff, agent, null, 100));
    }

    private static List<String> ids(List<SessionSummary> page) {
        return page.stream().map(s -> s.session().id()).toList();
    }

    // ---- erasure -------------------------------------------------------------------------------

    @Test
    void erasure_leaves_nothing_of_the_content_in_any_table_and_an_audit_record_without_it() throws SQLException {
        createSession("s-x", CONNECTOR_ID, T0);
        createSession("s-keep", CONNECTOR_ID, T0);
        store.append(List.of(
                event("s-x", 2, EventType.USER_MESSAGE, "{\"text\":\"my code is " + SECRET + "\"}", "cid-" + SECRET),
                event("s-x", 3, EventType.POLY_AGENT_MESSAGE, "{\"text\":\"noted: " + SECRET + "\"}", null),
                event("s-keep", 2, EventType.USER_MESSAGE, "{\"text\":\"unrelated\"}", "cid-keep")));
        store.saveSessionContext(new StoredContext("s-x", "{\"name\":\"" + SECRET + "\"}", "k1", T0));
        store.createAgent(new DeskAgent("agt_1", CONNECTOR_ID, "Sarah", null, List.of("support"), 3), "x");
        store.saveHandoff(HandoffRecord.waiting("s-x", CONNECTOR_ID, "support", T0).assignedTo("agt_1", T0));
        store.saveOfflineConversation(dev.parley.server.desk.OfflineConversation.opened("s-x", CONNECTOR_ID, "support", T0));
        store.notes().add(note("note_x", "s-x", T0, "customer said " + SECRET));
        store.notes().add(note("note_keep", "s-keep", T0, "unrelated note"));
        store.append(List.of(sessionEnd("s-x", 4, "REASON_NATURAL_END")));
        assertThat(store.csat().give(CONNECTOR_ID, "s-x", 2, "slow, " + SECRET, T0.plusSeconds(50), "evt-csat-x"))
                .isInstanceOf(CsatOutcome.Given.class);
        assertThat(tablesContaining("slow, " + SECRET)).as("the test plants the rating's comment").contains("csat_ratings");
        assertThat(tablesContaining(SECRET)).as("the test plants the content").isNotEmpty();

        ErasureRecord audit = new ErasureRecord("s-x", CONNECTOR_ID, T0.plusSeconds(99), "api-key:opk_1");
        assertThat(operators.erase(audit)).isTrue();

        assertThat(tablesContaining(SECRET)).isEmpty();
        assertThat(tablesContaining("s-x")).as("only the audit names the session").containsExactly("erased_sessions");
        assertThat(store.findSession("s-x")).isEmpty();
        assertThat(store.readAfter("s-x", 0, 100)).isEmpty();
        assertThat(store.findByClientEventId("s-x", "cid-" + SECRET)).isEmpty();
        assertThat(store.findSessionContext("s-x")).isEmpty();
        assertThat(store.openHandoffs()).isEmpty();
        assertThat(store.openOfflineConversations()).isEmpty();
        assertThat(store.csat().find("s-x")).isEmpty();
        assertThat(operators.findErasure("s-x")).contains(audit);
        assertThat(operators.erasedSince(T0.plusSeconds(99))).containsExactly("s-x");
        assertThat(operators.erasedSince(T0.plusSeconds(100))).isEmpty();
        assertThat(operators.erase(audit)).as("idempotent").isFalse();
        assertThat(store.readAfter("s-keep", 0, 100)).hasSize(2);
        assertThat(store.findByClientEventId("s-keep", "cid-keep")).isPresent();
        assertThat(store.notes().bySession("s-x")).isEmpty();
        assertThat(store.notes().bySession("s-keep")).extracting(DeskNote::id).containsExactly("note_keep");
    }

    // ---- internal notes ------------------------------------------------------------------------

    private static DeskNote note(String id, String sessionId, Instant at, String text) {
        return new DeskNote(id, sessionId, CONNECTOR_ID, "agt_1", "Sarah", text, at);
    }

    @Test
    void notes_are_listed_per_session_oldest_first_with_their_author_as_named_then() {
        createSession("s-a", CONNECTOR_ID, T0);
        createSession("s-b", CONNECTOR_ID, T0);
        String long4000 = "x".repeat(4000);
        store.notes().add(note("note_2", "s-a", T0.plusSeconds(20), "second " + long4000.substring(7)));
        store.notes().add(note("note_1", "s-a", T0.plusSeconds(10), "first — with ünïcode"));
        store.notes().add(new DeskNote("note_3", "s-b", CONNECTOR_ID, "agt_2", "Tom", "other", T0));

        List<DeskNote> notes = store.notes().bySession("s-a");
        assertThat(notes).extracting(DeskNote::id).containsExactly("note_1", "note_2");
        assertThat(notes.get(0)).isEqualTo(note("note_1", "s-a", T0.plusSeconds(10), "first — with ünïcode"));
        assertThat(notes.get(1).text()).hasSize(4000);
        assertThat(store.notes().bySession("s-b")).extracting(DeskNote::authorName).containsExactly("Tom");
        assertThat(store.notes().bySession("s-none")).isEmpty();
    }

    @Test
    void a_note_needs_its_session() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.notes().add(note("note_1", "s-none", T0, "x")))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void notes_are_not_events_and_not_in_the_search_index() throws SQLException {
        createSession("s-a", CONNECTOR_ID, T0);
        store.notes().add(note("note_1", "s-a", T0, "internal " + SECRET));
        assertThat(tablesContaining(SECRET)).containsExactly("desk_notes");
        assertThat(store.readAfter("s-a", 0, 100)).hasSize(1); // the session start only
    }

    // ---- CSAT ----------------------------------------------------------------------------------

    /** A session of the connector a live agent had (assigned), ended at T0 + 10 s unless {@code end} is false. */
    private void agentConversation(String id, boolean end) {
        createSession(id, CONNECTOR_ID, T0);
        if (store.findAgent("agt_1").isEmpty()) {
            store.createAgent(new DeskAgent("agt_1", CONNECTOR_ID, "Sarah", null, List.of("support"), 3), "x");
        }
        store.saveHandoff(HandoffRecord.waiting(id, CONNECTOR_ID, "support", T0).assignedTo("agt_1", T0.plusSeconds(1)));
        if (end) {
            store.append(List.of(endAt(id, T0.plusSeconds(10))));
        }
    }

    @Test
    void a_rating_is_stored_once_for_an_ended_conversation_a_live_agent_had_and_read_back() {
        agentConversation("s-r", true);
        Instant at = T0.plusSeconds(20);

        CsatOutcome given = store.csat().give(CONNECTOR_ID, "s-r", 4, "quick and kind", at, "evt-1");

        CsatRating expected = new CsatRating("s-r", CONNECTOR_ID, "support", "agt_1", 4, "quick and kind", at);
        assertThat(given).isEqualTo(new CsatOutcome.Given(expected));
        assertThat(store.csat().find("s-r")).contains(expected);
        assertThat(operators.csatOf(List.of("s-r", "s-none"))).containsExactly(java.util.Map.entry("s-r", expected));
        assertThat(store.csat().give(CONNECTOR_ID, "s-r", 1, null, at.plusSeconds(1), "evt-2"))
                .as("the first rating stands").isEqualTo(new CsatOutcome.AlreadyGiven());
        assertThat(store.csat().find("s-r")).contains(expected);
    }

    @Test
    void no_rating_for_an_unknown_or_other_connectors_session_an_open_one_or_one_no_live_agent_had() {
        agentConversation("s-open", false);
        createSession("s-ai", CONNECTOR_ID, T0);
        store.append(List.of(endAt("s-ai", T0.plusSeconds(5))));
        agentConversation("s-requeued", false);
        store.saveHandoff(HandoffRecord.waiting("s-requeued", CONNECTOR_ID, "support", T0).assignedTo("agt_1", T0).requeued());
        store.append(List.of(endAt("s-requeued", T0.plusSeconds(5))));
        agentConversation("s-theirs", true);

        assertThat(store.csat().give(CONNECTOR_ID, "s-unknown", 5, null, T0, "e1")).isEqualTo(new CsatOutcome.NotFound());
        assertThat(store.csat().give("conn-2", "s-theirs", 5, null, T0, "e2")).isEqualTo(new CsatOutcome.NotFound());
        assertThat(store.csat().give(CONNECTOR_ID, "s-open", 5, null, T0, "e3")).isEqualTo(new CsatOutcome.NotEnded());
        assertThat(store.csat().give(CONNECTOR_ID, "s-ai", 5, null, T0, "e4")).isEqualTo(new CsatOutcome.NoLiveAgent());
        assertThat(store.csat().give(CONNECTOR_ID, "s-requeued", 5, null, T0, "e5")).isEqualTo(new CsatOutcome.NoLiveAgent());
        assertThat(operators.csatOf(List.of("s-unknown", "s-theirs", "s-open", "s-ai", "s-requeued"))).isEmpty();
    }

    @Test
    void a_rating_queues_one_csat_given_delivery_per_subscription_in_its_transaction_and_a_refusal_none() throws SQLException {
        store.webhooks().addSubscription(new WebhookSubscription("whs_csat", "http://127.0.0.1:9/", java.util.Set.of(
                WebhookEventType.CSAT_GIVEN), CONNECTOR_ID, "sealed", T0));
        store.webhooks().addSubscription(new WebhookSubscription("whs_other", "http://127.0.0.1:9/", java.util.Set.of(
                WebhookEventType.SESSION_STARTED), CONNECTOR_ID, "sealed", T0));
        agentConversation("s-w", true);

        store.csat().give(CONNECTOR_ID, "s-w", 3, "ok", T0.plusSeconds(30), "evt-w");
        store.csat().give(CONNECTOR_ID, "s-w", 5, null, T0.plusSeconds(31), "evt-w2");

        List<dev.parley.server.webhooks.WebhookDelivery> due = store.webhooks().claim("test", T0.plusSeconds(60),
                T0.plusSeconds(120), 10).stream().filter(w -> !w.type().equals("session.started")).toList();
        assertThat(due).extracting(dev.parley.server.webhooks.WebhookDelivery::type).containsExactly("csat.given");
        dev.parley.server.webhooks.WebhookDelivery d = due.get(0);
        assertThat(d.subscriptionId()).isEqualTo("whs_csat");
        assertThat(d.eventId()).isEqualTo("evt-w");
        assertThat(d.sessionId()).isEqualTo("s-w");
        assertThat(d.connectorId()).isEqualTo(CONNECTOR_ID);
        assertThat(d.createdAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(d.data()).isEqualTo("{\"rating\":3,\"comment\":\"ok\",\"queue\":\"support\",\"agent_id\":\"agt_1\"}");
    }

    @Test
    void purging_ended_sessions_takes_their_ratings_with_them() {
        agentConversation("s-p", true);
        store.csat().give(CONNECTOR_ID, "s-p", 5, "great", T0.plusSeconds(20), "evt-p");

        assertThat(store.purgeEndedBefore(T0.plusSeconds(11))).isEqualTo(1);

        assertThat(store.csat().find("s-p")).isEmpty();
        assertThat(store.findSession("s-p")).isEmpty();
    }

    @Test
    void retention_is_set_per_connector_and_finds_the_sessions_ended_before_a_cutoff() {
        createSession("s-old", CONNECTOR_ID, T0);
        createSession("s-new", CONNECTOR_ID, T0);
        createSession("s-open", CONNECTOR_ID, T0);
        createSession("s-other", "conn-2", T0);
        store.append(List.of(endAt("s-old", T0.plusSeconds(10)), endAt("s-new", T0.plusSeconds(1000)),
                endAt("s-other", T0.plusSeconds(10))));

        assertThat(operators.setRetentionDays(CONNECTOR_ID, 30)).isTrue();
        assertThat(operators.setRetentionDays("conn-none", 30)).isFalse();
        assertThat(operators.retentionDays()).containsExactly(java.util.Map.entry(CONNECTOR_ID, 30));
        assertThat(operators.endedBefore(CONNECTOR_ID, T0.plusSeconds(500), 10)).containsExactly("s-old");
        assertThat(operators.setRetentionDays(CONNECTOR_ID, null)).isTrue();
        assertThat(operators.retentionDays()).isEmpty();
    }

    @Test
    void the_retention_sweep_erases_what_ended_too_long_ago_with_an_audit_and_is_idempotent() {
        createSession("s-old", CONNECTOR_ID, T0);
        createSession("s-recent", CONNECTOR_ID, T0);
        createSession("s-open", CONNECTOR_ID, T0);
        createSession("s-other", "conn-2", T0); // its connector keeps everything
        Instant now = T0.plus(java.time.Duration.ofDays(40));
        store.append(List.of(endAt("s-old", T0.plusSeconds(10)), endAt("s-recent", now.minus(java.time.Duration.ofDays(5))),
                endAt("s-other", T0.plusSeconds(10))));
        operators.setRetentionDays(CONNECTOR_ID, 30);
        store.notes().add(note("note_old", "s-old", T0, "old note"));
        store.notes().add(note("note_recent", "s-recent", T0, "recent note"));
        Set<String> dropped = new HashSet<>();
        dev.parley.server.operator.LiveSessions live = new dev.parley.server.operator.LiveSessions() {
            @Override
            public java.util.concurrent.CompletionStage<Void> endForErasure(String sessionId) {
                throw new AssertionError("the sweep never ends open sessions");
            }

            @Override
            public void dropErased(Set<String> sessionIds) {
                dropped.addAll(sessionIds);
            }
        };
        var sweep = new dev.parley.server.operator.RetentionSweep(operators, live,
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));

        assertThat(sweep.run()).isEqualTo(1);
        assertThat(sweep.run()).as("a second node, or the next period, finds nothing").isZero();

        assertThat(store.findSession("s-old")).isEmpty();
        assertThat(operators.findErasure("s-old")).contains(new ErasureRecord("s-old", CONNECTOR_ID, now, "retention"));
        assertThat(store.findSession("s-recent")).isPresent();
        assertThat(store.findSession("s-open")).isPresent();
        assertThat(store.findSession("s-other")).isPresent();
        assertThat(dropped).containsExactly("s-old");
        assertThat(store.notes().bySession("s-old")).isEmpty();
        assertThat(store.notes().bySession("s-recent")).hasSize(1);
    }

    private static StoredEvent endAt(String id, Instant at) {
        StoredEvent end = sessionEnd(id, 2, "REASON_USER_END");
        String json = end.json().replace(end.timestamp().toString(), at.toString());
        return new StoredEvent(id, 2, end.eventId(), end.type(), at, json, null);
    }

    /** The tables in which some column of some row contains {@code needle}, read behind the adapter's back. */
    protected Set<String> tablesContaining(String needle) throws SQLException {
        Set<String> found = new HashSet<>();
        try (Connection c = raw()) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, schema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("events", "sessions", "handoffs", "session_contexts", "erased_sessions");
            for (String table : tables) {
                try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery("SELECT * FROM " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String value = rows.getString(i);
                            if (value != null && value.contains(needle)) {
                                found.add(table);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
