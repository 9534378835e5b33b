package dev.parley.server.store;

import static dev.parley.server.store.TestJournal.CONNECTOR_ID;
import static dev.parley.server.store.TestJournal.T0;
import static dev.parley.server.store.TestJournal.connector;
import static dev.parley.server.store.TestJournal.message;
import static dev.parley.server.store.TestJournal.session;
import static dev.parley.server.store.TestJournal.sessionEnd;
import static dev.parley.server.store.TestJournal.sessionStart;
import static dev.parley.server.store.TestJournal.userMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.EndReason;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.OfflineConversation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NodeStore} adapter must do, run against each real one (SQLite in a temporary
 * directory, PostgreSQL in an embedded server) by a subclass that says how to open it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class StoreContractTest {

    protected NodeStore store;

    /** Opens the adapter on an empty database. */
    protected abstract NodeStore openEmpty() throws Exception;

    /** Opens the adapter again on the same database (a restart, or a second process such as the admin CLI). */
    protected abstract NodeStore reopen() throws Exception;

    /** The stored {@code last_activity_at} of a session, read behind the adapter's back. */
    protected abstract Instant lastActivityOf(String sessionId) throws Exception;

    /** How many times the schema's first migration was applied, from Flyway's history table. */
    protected abstract long firstMigrationRuns() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmpty();
        store.createConnector(connector(CONNECTOR_ID, "hash-1"));
        store.create(session("s1"), sessionStart("s1"));
        store.create(session("s2"), sessionStart("s2"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appended_events_are_read_back_in_sequence_order_after_a_given_sequence_and_up_to_a_limit() {
        store.append(List.of(message("s1", 3), message("s2", 2), message("s1", 2), message("s1", 4)));

        List<StoredEvent> read = store.readAfter("s1", 1, 2);

        assertThat(read).extracting(StoredEvent::sequence).containsExactly(2L, 3L);
        assertThat(read.get(0)).isEqualTo(storedCopyOf(read.get(0)));
        assertThat(store.readAfter("s1", 0, 100)).extracting(StoredEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.readAfter("s1", 4, 100)).isEmpty();
    }

    @Test
    void an_event_is_read_back_exactly_as_it_was_appended() {
        StoredEvent event = userMessage("s1", 2, "client-7");
        store.append(List.of(event));

        assertThat(store.readAfter("s1", 1, 1)).containsExactly(event);
    }

    @Test
    void the_turn_an_agent_output_answers_is_read_back_and_other_events_answer_none() {
        StoredEvent echo = userMessage("s1", 2, "client-7");
        StoredEvent m = message("s1", 3);
        StoredEvent reply = new StoredEvent(m.sessionId(), m.sequence(), m.eventId(), m.type(), m.timestamp(), m.json(),
                null, 2L);
        store.append(List.of(echo, reply));

        List<StoredEvent> read = store.readAfter("s1", 1, 10);
        assertThat(read).containsExactly(echo, reply);
        assertThat(read).extracting(StoredEvent::answersSeq).containsExactly(null, 2L);
        assertThat(store.findByClientEventId("s1", "client-7").orElseThrow().answersSeq()).isNull();
    }

    @Test
    void head_sequence_is_the_highest_stored_sequence_and_zero_for_a_session_without_events() {
        store.append(List.of(message("s1", 2), message("s1", 3)));

        assertThat(store.headSequence("s1")).isEqualTo(3);
        assertThat(store.headSequence("s2")).isEqualTo(1);
        assertThat(store.headSequence("unknown")).isZero();
    }

    @Test
    void an_event_is_found_by_its_client_event_id_within_its_session_only() {
        StoredEvent event = userMessage("s1", 2, "client-7");
        store.append(List.of(event));

        assertThat(store.findByClientEventId("s1", "client-7")).contains(event);
        assertThat(store.findByClientEventId("s2", "client-7")).isEmpty();
        assertThat(store.findByClientEventId("s1", "client-8")).isEmpty();
    }

    @Test
    void the_same_client_event_id_may_be_used_in_two_sessions() {
        store.append(List.of(userMessage("s1", 2, "client-7"), userMessage("s2", 2, "client-7")));

        assertThat(store.findByClientEventId("s2", "client-7")).isPresent();
    }

    @Test
    void a_duplicate_client_event_id_fails_the_whole_batch_and_stores_nothing() {
        store.append(List.of(userMessage("s1", 2, "client-7")));

        assertThatThrownBy(() -> store.append(List.of(
                message("s2", 2),
                message("s1", 3),
                userMessage("s1", 4, "client-7"))))
                .isInstanceOf(StoreException.class);

        assertThat(store.headSequence("s1")).isEqualTo(2);
        assertThat(store.headSequence("s2")).isEqualTo(1);
    }

    @Test
    void a_duplicate_sequence_fails_the_whole_batch_and_stores_nothing() {
        assertThatThrownBy(() -> store.append(List.of(message("s2", 2), message("s1", 1))))
                .isInstanceOf(StoreException.class);

        assertThat(store.headSequence("s2")).isEqualTo(1);
    }

    @Test
    void an_event_of_an_unknown_session_is_refused() {
        assertThatThrownBy(() -> store.append(List.of(message("nope", 1)))).isInstanceOf(StoreException.class);
    }

    @Test
    void a_session_end_event_marks_its_session_ended_with_the_reason_of_its_payload() {
        StoredEvent end = sessionEnd("s1", 2, "REASON_USER_ABANDONED");
        store.append(List.of(message("s2", 2), end));

        SessionRecord s1 = store.findSession("s1").orElseThrow();
        assertThat(s1.endedAt()).isEqualTo(end.timestamp());
        assertThat(s1.endReason()).isEqualTo(EndReason.REASON_USER_ABANDONED);
        assertThat(store.findSession("s2").orElseThrow().ended()).isFalse();
        assertThat(store.openSessions()).extracting(SessionRecord::id).containsExactly("s2");
    }

    @Test
    void a_session_end_without_a_known_reason_fails_the_batch() {
        assertThatThrownBy(() -> store.append(List.of(message("s2", 2), sessionEnd("s1", 2, "REASON_BORED"))))
                .isInstanceOf(StoreException.class);

        assertThat(store.headSequence("s2")).isEqualTo(1);
        assertThat(store.findSession("s1").orElseThrow().ended()).isFalse();
    }

    @Test
    void a_created_session_is_found_with_its_start_event() {
        SessionRecord found = store.findSession("s1").orElseThrow();

        assertThat(found).isEqualTo(session("s1"));
        assertThat(store.readAfter("s1", 0, 10)).extracting(StoredEvent::type)
                .containsExactly(dev.parley.protocol.EventType.SESSION_START);
        assertThat(store.findSession("unknown")).isEmpty();
    }

    @Test
    void sessions_created_in_one_group_commit_with_other_sessions_events_are_all_stored_with_their_heads() {
        store.append(List.of(session("n1"), session("n2")),
                List.of(sessionStart("n1"), message("s1", 2), sessionStart("n2"), message("n2", 2)));

        assertThat(store.findSession("n1")).contains(session("n1"));
        assertThat(store.headSequence("n1")).isEqualTo(1);
        assertThat(store.headSequence("n2")).isEqualTo(2);
        assertThat(store.headSequence("s1")).isEqualTo(2);
    }

    @Test
    void a_group_commit_creating_a_session_that_exists_stores_nothing_of_it() {
        assertThatThrownBy(() -> store.append(List.of(session("n1"), session("s1")),
                List.of(sessionStart("n1")))).isInstanceOf(StoreException.class);

        assertThat(store.findSession("n1")).isEmpty();
        assertThat(store.readAfter("n1", 0, 10)).isEmpty();
    }

    @Test
    void a_session_of_an_unknown_connector_is_refused() {
        SessionRecord orphan = SessionRecord.open("s3", "no-such-connector", "web", false, T0);

        assertThatThrownBy(() -> store.create(orphan, sessionStart("s3"))).isInstanceOf(StoreException.class);
        assertThat(store.findSession("s3")).isEmpty();
    }

    @Test
    void purge_deletes_sessions_ended_before_the_cutoff_with_their_events_and_keeps_the_rest() {
        store.create(session("s3"), sessionStart("s3"));
        store.append(List.of(
                sessionEnd("s1", 2, "REASON_USER_END"),             // ends at T0 + 2s
                message("s3", 2), sessionEnd("s3", 10, "REASON_USER_END"))); // ends at T0 + 10s
        store.notes().add(new dev.parley.server.desk.notes.DeskNote("note_1", "s1", CONNECTOR_ID, "agt_1", "Sarah", "n", T0));
        store.notes().add(new dev.parley.server.desk.notes.DeskNote("note_3", "s3", CONNECTOR_ID, "agt_1", "Sarah", "n", T0));

        int purged = store.purgeEndedBefore(T0.plusSeconds(5));

        assertThat(purged).isEqualTo(1);
        assertThat(store.findSession("s1")).isEmpty();
        assertThat(store.readAfter("s1", 0, 10)).isEmpty();
        assertThat(store.findSession("s2")).isPresent();
        assertThat(store.findSession("s3")).isPresent();
        assertThat(store.headSequence("s3")).isEqualTo(10);
        assertThat(store.notes().bySession("s1")).as("notes go with their session").isEmpty();
        assertThat(store.notes().bySession("s3")).hasSize(1);
        assertThat(store.purgeEndedBefore(T0.plusSeconds(5))).isZero();
    }

    @Test
    void context_keys_are_added_once_per_connector_and_key_id_listed_found_and_removed() {
        store.createConnector(new Connector("conn-2", "hash-2", null, T0, null));
        ContextKey first = new ContextKey(CONNECTOR_ID, "k1", "s1:sealed-1", T0);
        ContextKey second = new ContextKey(CONNECTOR_ID, "k2", "s1:sealed-2", T0.plusSeconds(1));

        assertThat(store.addContextKey(first)).isTrue();
        assertThat(store.addContextKey(second)).isTrue();
        assertThat(store.addContextKey(new ContextKey(CONNECTOR_ID, "k1", "s1:other", T0))).isFalse();
        assertThat(store.addContextKey(new ContextKey("conn-2", "k1", "s1:sealed-3", T0))).isTrue();

        assertThat(store.listContextKeys(CONNECTOR_ID)).containsExactly(first, second);
        assertThat(store.findContextKey(CONNECTOR_ID, "k1")).contains(first);
        assertThat(store.findContextKey("conn-2", "k2")).isEmpty();
        assertThat(store.removeContextKey(CONNECTOR_ID, "k1")).isTrue();
        assertThat(store.removeContextKey(CONNECTOR_ID, "k1")).isFalse();
        assertThat(store.findContextKey(CONNECTOR_ID, "k1")).isEmpty();
        assertThat(store.findContextKey("conn-2", "k1")).isPresent();
    }

    @Test
    void a_sessions_verified_context_is_replaced_whole_survives_a_reopen_and_is_purged_with_the_session() throws Exception {
        store.saveSessionContext(new StoredContext("s1", "{\"plan\":\"gold\",\"vip\":true}", "k1", T0));
        store.saveSessionContext(new StoredContext("s1", "{\"plan\":\"silver\"}", "k2", T0.plusSeconds(5)));
        store.close();
        store = reopen();

        assertThat(store.findSessionContext("s1"))
                .contains(new StoredContext("s1", "{\"plan\":\"silver\"}", "k2", T0.plusSeconds(5)));
        assertThat(store.findSessionContext("s2")).isEmpty();
        store.append(List.of(sessionEnd("s1", 2, "REASON_USER_END")));
        store.purgeEndedBefore(T0.plusSeconds(60));
        assertThat(store.findSessionContext("s1")).isEmpty();
    }

    @Test
    void connectors_are_created_found_listed_and_revoked() {
        Connector second = new Connector("conn-2", "hash-2", null, T0.plusSeconds(1), null);
        store.createConnector(second);
        Instant revokedAt = T0.plusSeconds(60);

        assertThat(store.findConnector("conn-2")).contains(second);
        assertThat(store.findConnectorByTokenHash("hash-2")).contains(second);
        assertThat(store.findConnectorByTokenHash("hash-x")).isEmpty();
        assertThat(store.listConnectors()).extracting(Connector::id).containsExactly(CONNECTOR_ID, "conn-2");

        assertThat(store.revokeConnector("conn-2", revokedAt)).isTrue();
        assertThat(store.revokeConnector("conn-9", revokedAt)).isFalse();
        Connector revoked = store.findConnector("conn-2").orElseThrow();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.revokedAt()).isEqualTo(revokedAt);
    }

    @Test
    void revoked_connector_ids_are_those_revoked_at_or_before_the_moment_asked_about() {
        store.createConnector(new Connector("conn-2", "hash-2", null, T0, null));
        store.createConnector(new Connector("conn-3", "hash-3", null, T0, null));
        store.revokeConnector("conn-2", T0.plusSeconds(10));
        store.revokeConnector("conn-3", T0.plusSeconds(20));

        assertThat(store.revokedConnectorIds(T0.plusSeconds(9))).isEmpty();
        assertThat(store.revokedConnectorIds(T0.plusSeconds(10))).containsExactly("conn-2");
        assertThat(store.revokedConnectorIds(T0.plusSeconds(20))).containsExactlyInAnyOrder("conn-2", "conn-3");
    }

    @Test
    void a_connector_with_a_taken_id_or_token_hash_is_refused() {
        assertThatThrownBy(() -> store.createConnector(connector(CONNECTOR_ID, "hash-9")))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.createConnector(connector("conn-2", "hash-1")))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void upsert_replaces_a_connector_in_use_by_sessions_and_creates_a_missing_one() {
        Connector replaced = new Connector(CONNECTOR_ID, "hash-new", null, T0.plusSeconds(9), null);

        store.upsertConnector(replaced);
        store.upsertConnector(connector("conn-2", "hash-2"));

        assertThat(store.findConnector(CONNECTOR_ID)).contains(replaced);
        assertThat(store.findConnectorByTokenHash("hash-1")).isEmpty();
        assertThat(store.findConnector("conn-2")).isPresent();
        assertThat(store.findSession("s1")).isPresent();
    }

    @Test
    void everything_is_still_there_after_the_store_is_closed_and_reopened() throws Exception {
        store.append(List.of(message("s1", 2), sessionEnd("s2", 2, "REASON_NATURAL_END")));
        store.close();

        store = reopen();

        assertThat(store.headSequence("s1")).isEqualTo(2);
        assertThat(store.findSession("s2").orElseThrow().endReason()).isEqualTo(EndReason.REASON_NATURAL_END);
        assertThat(store.findConnector(CONNECTOR_ID)).isPresent();
    }

    @Test
    void reopening_does_not_apply_the_migration_again() throws Exception {
        store.close();
        store = reopen();
        store.close();
        store = reopen();

        assertThat(firstMigrationRuns()).isEqualTo(1);
    }

    @Test
    void appending_moves_last_activity_to_the_newest_event_of_each_session() throws Exception {
        store.append(List.of(message("s1", 5), message("s1", 3)));

        assertThat(lastActivityOf("s1")).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void another_store_on_the_same_database_can_write_while_this_one_is_open() throws Exception {
        try (NodeStore admin = reopen()) {
            admin.createConnector(connector("conn-2", "hash-2"));
            store.append(List.of(message("s1", 2)));
            admin.append(List.of(message("s1", 3)));
        }

        assertThat(store.findConnector("conn-2")).isPresent();
        assertThat(store.headSequence("s1")).isEqualTo(3);
    }

    // ---- desk -------------------------------------------------------------------------------

    @Test
    void live_agents_are_found_by_id_and_name_with_their_password_hash() {
        DeskAgent sarah = new DeskAgent("agt_1", CONNECTOR_ID, "Sarah", "https://x.test/a.png", List.of("support", "sales"), 3);
        DeskAgent tom = new DeskAgent("agt_2", CONNECTOR_ID, "Tom", null, List.of("support"), 1, DeskAgent.Role.SUPERVISOR);
        store.createAgent(sarah, "$2y$hash1");
        store.createAgent(tom, "$2y$hash2");

        assertThat(store.findAgent("agt_1")).contains(sarah);
        assertThat(store.findAgentByName("Tom")).contains(tom);
        assertThat(store.findAgent("agt_2").orElseThrow().supervisor()).isTrue();
        assertThat(store.findAgent("agt_1").orElseThrow().supervisor()).isFalse();
        assertThat(store.findAgentByName("Nobody")).isEmpty();
        assertThat(store.passwordHash("agt_2")).contains("$2y$hash2");
        assertThat(store.listAgents()).containsExactlyInAnyOrder(sarah, tom);
    }

    @Test
    void live_agent_names_are_unique() {
        store.createAgent(new DeskAgent("agt_1", CONNECTOR_ID, "Sarah", null, List.of("support"), 3), "h");

        assertThatThrownBy(() -> store.createAgent(new DeskAgent("agt_2", CONNECTOR_ID, "Sarah", null, List.of("x"), 1), "h"))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void saving_a_handoff_replaces_its_record_and_open_handoffs_skip_closed_ones_oldest_first() {
        store.create(session("s3"), sessionStart("s3"));
        store.saveHandoff(HandoffRecord.waiting("s2", CONNECTOR_ID, "support", T0.plusSeconds(2)));
        store.saveHandoff(HandoffRecord.waiting("s1", CONNECTOR_ID, "support", T0.plusSeconds(1)));
        store.saveHandoff(HandoffRecord.waiting("s3", CONNECTOR_ID, "sales", T0.plusSeconds(3)));
        HandoffRecord assigned = HandoffRecord.waiting("s1", CONNECTOR_ID, "support", T0.plusSeconds(1))
                .assignedTo("agt_1", T0.plusSeconds(10));
        store.saveHandoff(assigned);
        store.saveHandoff(HandoffRecord.waiting("s3", CONNECTOR_ID, "sales", T0.plusSeconds(3)).closed());

        assertThat(store.openHandoffs()).containsExactly(assigned,
                HandoffRecord.waiting("s2", CONNECTOR_ID, "support", T0.plusSeconds(2)));
    }

    @Test
    void the_waiting_time_of_a_requeued_handoff_is_kept_while_it_is_open() {
        store.saveHandoff(HandoffRecord.waiting("s1", CONNECTOR_ID, "support", T0));
        store.saveHandoff(HandoffRecord.waiting("s2", CONNECTOR_ID, "support", T0).closed());
        store.saveWaitingSince("s1", T0.plusSeconds(30));
        store.saveWaitingSince("s2", T0.plusSeconds(40));

        assertThat(store.waitingSinceOfOpenHandoffs()).containsExactly(java.util.Map.entry("s1", T0.plusSeconds(30)));
    }

    @Test
    void handoffs_survive_reopening_and_are_purged_with_their_session() throws Exception {
        HandoffRecord record = HandoffRecord.waiting("s1", CONNECTOR_ID, "support", T0);
        store.saveHandoff(record);
        store.close();
        store = reopen();

        assertThat(store.openHandoffs()).containsExactly(record);
        store.purgeEndedBefore(T0.plusSeconds(3600)); // not ended: kept
        assertThat(store.openHandoffs()).containsExactly(record);
        store.append(List.of(sessionEnd("s1", 2, "REASON_USER_END")));
        store.purgeEndedBefore(T0.plusSeconds(3600));
        assertThat(store.openHandoffs()).isEmpty();
    }

    @Test
    void offline_conversations_are_listed_until_handled_once_and_purged_with_their_session() throws Exception {
        store.saveOfflineConversation(OfflineConversation.opened("s2", CONNECTOR_ID, "support", T0.plusSeconds(2)));
        store.saveOfflineConversation(OfflineConversation.opened("s1", CONNECTOR_ID, "sales", T0.plusSeconds(1)));
        store.saveOfflineConversation(OfflineConversation.opened("s1", CONNECTOR_ID, "support", T0.plusSeconds(9))); // kept as first saved

        assertThat(store.openOfflineConversations()).containsExactly(
                OfflineConversation.opened("s1", CONNECTOR_ID, "sales", T0.plusSeconds(1)),
                OfflineConversation.opened("s2", CONNECTOR_ID, "support", T0.plusSeconds(2)));
        assertThat(store.markOfflineHandled("s1", "agt_1", T0.plusSeconds(60))).isTrue();
        assertThat(store.markOfflineHandled("s1", "agt_2", T0.plusSeconds(61))).as("only once").isFalse();
        assertThat(store.markOfflineHandled("nope", "agt_1", T0.plusSeconds(61))).isFalse();
        store.close();
        store = reopen();
        assertThat(store.openOfflineConversations()).extracting(OfflineConversation::sessionId).containsExactly("s2");
        store.saveOfflineConversation(OfflineConversation.opened("s1", CONNECTOR_ID, "sales", T0.plusSeconds(99)));
        assertThat(store.openOfflineConversations()).as("asked again: listed again, at its first time").containsExactly(
                OfflineConversation.opened("s1", CONNECTOR_ID, "sales", T0.plusSeconds(1)),
                OfflineConversation.opened("s2", CONNECTOR_ID, "support", T0.plusSeconds(2)));
        store.append(List.of(sessionEnd("s1", 2, "REASON_USER_END")));

        store.append(List.of(sessionEnd("s2", 2, "REASON_USER_END")));
        store.purgeEndedBefore(T0.plusSeconds(3600));
        assertThat(store.openOfflineConversations()).isEmpty();
    }

    private static StoredEvent storedCopyOf(StoredEvent e) {
        return new StoredEvent(e.sessionId(), e.sequence(), e.eventId(), e.type(), e.timestamp(), e.json(),
                e.clientEventId());
    }
}
