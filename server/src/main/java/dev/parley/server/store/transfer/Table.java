package dev.parley.server.store.transfer;

import static dev.parley.server.store.transfer.Column.bool;
import static dev.parley.server.store.transfer.Column.instant;
import static dev.parley.server.store.transfer.Column.integer;
import static dev.parley.server.store.transfer.Column.strings;
import static dev.parley.server.store.transfer.Column.text;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tables an export holds, in the order they are written and imported (every row after the rows
 * it refers to). What a node derives or holds only while it runs is left out: PostgreSQL's
 * {@code head_seq} is recomputed from the events on import, leases and connection slots start empty.
 *
 * @param order the export's row order (the journal in session and sequence order)
 */
record Table(String name, List<Column> columns, String order) {

    static final List<Table> ALL = List.of(
            new Table("connectors", List.of(text("id"), text("token_hash"), text("host"), instant("created_at"),
                    instant("revoked_at")), "id"),
            new Table("context_keys", List.of(text("connector_id"), text("key_id"), text("secret"),
                    instant("created_at")), "connector_id, key_id"),
            new Table("live_agents", List.of(text("id"), text("connector_id"), text("name"), text("avatar_url"),
                    strings("queues"), integer("capacity"), text("password_hash"), instant("created_at"), text("role", "AGENT")), "id"),
            new Table("sessions", List.of(text("id"), text("connector_id"), text("platform"), bool("streaming"),
                    instant("created_at"), instant("last_activity_at"), instant("ended_at"), text("end_reason")),
                    "created_at, id"),
            new Table("events", List.of(text("session_id"), integer("seq"), text("event_id"), text("type"),
                    instant("ts"), text("json"), text("client_event_id"), integer("answers_seq")), "session_id, seq"),
            new Table("handoffs", List.of(text("session_id"), text("connector_id"), text("queue"), text("status"),
                    instant("enqueued_at"), text("agent_id"), instant("assigned_at"), instant("waiting_since")),
                    "enqueued_at, session_id"),
            new Table("session_contexts", List.of(text("session_id"), text("ctx_json"), text("key_id"),
                    instant("verified_at")), "session_id"),
            new Table("offline_conversations", List.of(text("session_id"), text("connector_id"), text("queue"),
                    instant("created_at"), instant("handled_at"), text("handled_by")), "created_at, session_id"),
            new Table("desk_notes", List.of(text("id"), text("session_id"), text("connector_id"), text("author_id"),
                    text("author_name"), text("text"), instant("created_at")), "session_id, created_at, id"),
            new Table("csat_ratings", List.of(text("session_id"), text("connector_id"), text("queue"), text("agent_id"),
                    integer("rating"), text("comment"), instant("created_at")), "created_at, session_id"),
            // Operator data (not per-session content): moves with the store.
            new Table("canned_replies", List.of(text("id"), text("connector_id"), text("queue"), text("shortcut"),
                    text("title"), text("text"), instant("created_at"), instant("updated_at")), "id"),
            // The history search index: derived from the events, but carried over so a move to
            // PostgreSQL keeps search working without a rebuild (PostgreSQL computes its tsvector).
            new Table("message_texts", List.of(text("session_id"), text("message_key"), integer("seq"), text("body")),
                    "session_id, message_key"));

    static Optional<Table> named(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst();
    }

    String columnList() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    String selectAll() {
        return "SELECT " + columnList() + " FROM " + name + " ORDER BY " + order;
    }

    String insert() {
        return "INSERT INTO " + name + " (" + columnList() + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }
}
