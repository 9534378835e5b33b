package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.desk.ConversationLabel;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskOverview;
import dev.parley.server.desk.DeskSnapshot;
import dev.parley.server.desk.HandoffRecord;
import java.time.Duration;
import dev.parley.server.desk.Unassignment;
import java.time.Instant;
import java.util.Map;

/** The JSON shapes of docs/desk-api.md: agent, conversation, snapshot, and the desk socket messages. */
final class DeskJson {
    private DeskJson() {
    }

    static ObjectNode agent(DeskAgent agent) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("id", agent.id())
                .put("name", agent.name())
                .put("avatar_url", agent.avatarUrl())
                .put("capacity", agent.capacity())
                .put("role", agent.role().name());
        ArrayNode queues = node.putArray("queues");
        agent.queues().forEach(queues::add);
        return node;
    }

    /**
     * A conversation with its {@code label} (see {@link ConversationLabel}) and, once assigned,
     * {@code waited_seconds} from {@code enqueued_at} to {@code assigned_at} (a requeued
     * conversation keeps its first {@code enqueued_at}, so that wait counts from there).
     */
    static ObjectNode conversation(HandoffRecord record) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("session_id", record.sessionId())
                .put("label", ConversationLabel.of(record.sessionId()))
                .put("queue", record.queue())
                .put("status", record.status().name())
                .put("enqueued_at", time(record.enqueuedAt()))
                .put("assigned_at", time(record.assignedAt()));
        if (record.enqueuedAt() != null && record.assignedAt() != null) {
            node.put("waited_seconds", Math.max(0, Duration.between(record.enqueuedAt(), record.assignedAt()).toSeconds()));
        } else {
            node.putNull("waited_seconds");
        }
        return node;
    }

    /** As {@link #conversation(HandoffRecord)}, with {@code customer} and {@code created_at} when known. */
    static ObjectNode conversation(HandoffRecord record, CustomerDetails details) {
        ObjectNode node = conversation(record);
        (details == null ? CustomerDetails.UNKNOWN : details).fill(node);
        return node;
    }

    /** {@code {"presence", "mine", "queues"}}, as {@code GET /desk/api/queues} answers. */
    static ObjectNode snapshot(DeskSnapshot snapshot, Map<String, CustomerDetails> details) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        fillSnapshot(node, snapshot, details);
        return node;
    }

    /** {@code details}: of the agent's own conversations, by session id (missing ones have no customer). */
    static void fillSnapshot(ObjectNode node, DeskSnapshot snapshot, Map<String, CustomerDetails> details) {
        node.put("presence", snapshot.presence().name());
        ArrayNode mine = node.putArray("mine");
        snapshot.mine().forEach(r -> mine.add(conversation(r, details.get(r.sessionId()))));
        ArrayNode queues = node.putArray("queues");
        for (DeskSnapshot.QueueView view : snapshot.queues()) {
            ObjectNode queue = queues.addObject()
                    .put("name", view.name())
                    .put("assignment", view.assignment().name());
            ArrayNode waiting = queue.putArray("waiting");
            for (DeskSnapshot.Waiting w : view.waiting()) {
                waiting.addObject()
                        .put("session_id", w.sessionId())
                        .put("label", ConversationLabel.of(w.sessionId()))
                        .put("position", w.position())
                        .put("waited_seconds", w.waitedSeconds());
            }
        }
    }

    // ---- socket messages -------------------------------------------------------------------

    static String snapshotMessage(DeskSnapshot snapshot, Map<String, CustomerDetails> details) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "desk.snapshot");
        fillSnapshot(node, snapshot, details);
        return node.toString();
    }

    static String assignedMessage(HandoffRecord record, CustomerDetails details) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "desk.assigned");
        node.set("conversation", conversation(record, details));
        return node.toString();
    }

    /** {@code reason} in lower case ("taken_over"); {@code by} {id, name} when a supervisor moved it. */
    static String unassignedMessage(String sessionId, Unassignment why) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "desk.unassigned").put("session_id", sessionId)
                .put("reason", why.reason().name().toLowerCase(java.util.Locale.ROOT));
        if (why.byId() != null) {
            node.putObject("by").put("id", why.byId()).put("name", why.byName());
        }
        return node.toString();
    }

    /**
     * {@code GET /desk/api/supervisor/overview} and {@code desk.overview}: {@code queues} [{name,
     * waiting (count), longest_wait_seconds, available_agents, waiting_conversations [{session_id,
     * position, waited_seconds}]}], {@code agents} [{id, name, role, queues, presence, load, capacity,
     * conversations [conversation]}].
     */
    static ObjectNode overview(DeskOverview overview) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        fillOverview(node, overview);
        return node;
    }

    static String overviewMessage(DeskOverview overview) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "desk.overview");
        fillOverview(node, overview);
        return node.toString();
    }

    private static void fillOverview(ObjectNode node, DeskOverview overview) {
        ArrayNode queues = node.putArray("queues");
        for (DeskOverview.QueueLoad q : overview.queues()) {
            ObjectNode queue = queues.addObject()
                    .put("name", q.name())
                    .put("waiting", q.waiting().size())
                    .put("longest_wait_seconds", q.longestWaitSeconds())
                    .put("available_agents", q.availableAgents());
            optionalSeconds(queue, "average_wait_seconds", q.averageWaitSeconds());
            optionalSeconds(queue, "average_first_response_seconds", q.service().firstResponseSeconds());
            optionalRating(queue, q.service().rating());
            ArrayNode waiting = queue.putArray("waiting_conversations");
            for (DeskSnapshot.Waiting w : q.waiting()) {
                waiting.addObject()
                        .put("session_id", w.sessionId())
                        .put("label", ConversationLabel.of(w.sessionId()))
                        .put("position", w.position())
                        .put("waited_seconds", w.waitedSeconds());
            }
        }
        ArrayNode agents = node.putArray("agents");
        for (DeskOverview.AgentLoad a : overview.agents()) {
            ObjectNode agent = agents.addObject()
                    .put("id", a.id())
                    .put("name", a.name())
                    .put("role", a.role().name())
                    .put("presence", a.presence().name())
                    .put("load", a.load())
                    .put("capacity", a.capacity());
            optionalSeconds(agent, "average_handling_seconds", a.averageHandlingSeconds());
            optionalSeconds(agent, "average_first_response_seconds", a.service().firstResponseSeconds());
            optionalRating(agent, a.service().rating());
            ArrayNode queueNames = agent.putArray("queues");
            a.queues().forEach(queueNames::add);
            ArrayNode conversations = agent.putArray("conversations");
            a.conversations().forEach(r -> conversations.add(conversation(r)));
        }
    }

    private static void optionalSeconds(ObjectNode node, String field, long seconds) {
        if (seconds == DeskOverview.NONE) {
            node.putNull(field);
        } else {
            node.put(field, seconds);
        }
    }

    private static void optionalRating(ObjectNode node, double rating) {
        if (rating == DeskOverview.NO_RATING) {
            node.putNull("average_rating");
        } else {
            node.put("average_rating", rating);
        }
    }

    /** A session frame, verbatim, as {@code desk.event}: the frame is already one JSON object. */
    static String eventMessage(String sessionId, String frame) {
        return "{\"type\":\"desk.event\",\"session_id\":" + Json.MAPPER.getNodeFactory().textNode(sessionId)
                + ",\"event\":" + frame + "}";
    }

    static String errorMessage(String message, com.fasterxml.jackson.databind.JsonNode requestId) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "desk.error").put("message", message);
        if (requestId != null && !requestId.isNull() && !requestId.isMissingNode()) {
            node.set("request_id", requestId);
        }
        return node.toString();
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
