package dev.parley.server.desk.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskOverview;
import dev.parley.server.desk.DeskSnapshot;
import dev.parley.server.desk.EnqueueResult;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.Presence;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.desk.SupervisorResult;
import dev.parley.server.desk.Unassignment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What nodes say to each other about the desk, as small JSON objects on {@code parley.desk.<node>}
 * (issue 11). Every message has {@code kind} and {@code from} (the sender's node id):
 * <ul>
 *   <li>{@code call}: {@code id}, {@code op} (enqueue, claim, owns, finish, leave, transfer, snapshot,
 *       overview, watch, take_over, reassign) and
 *       its arguments, to the leader, answered by a {@code reply} with the same {@code id},
 *       {@code ok} and {@code value};</li>
 *   <li>{@code tell}: {@code op} (connect, disconnect, presence, accepted, ended, alive), to the
 *       leader, unanswered;</li>
 *   <li>{@code listener}: {@code listener} (the id of an agent's desk socket on the receiving node),
 *       {@code event} (queues, assigned, unassigned, overview) and {@code value}: a desk callback.</li>
 * </ul>
 */
final class DeskMessages {
    static final ObjectMapper JSON = new ObjectMapper();

    private DeskMessages() {
    }

    static String topic(String nodeId) {
        return "parley.desk." + nodeId;
    }

    static ObjectNode message(String kind, String from) {
        return JSON.createObjectNode().put("kind", kind).put("from", from);
    }

    static Optional<JsonNode> parse(String message) {
        try {
            return Optional.of(JSON.readTree(message));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    // ---- values -------------------------------------------------------------------------------

    static ObjectNode agent(DeskAgent a) {
        ObjectNode n = JSON.createObjectNode().put("id", a.id()).put("connector", a.connectorId()).put("name", a.name())
                .put("avatar", a.avatarUrl()).put("capacity", a.capacity()).put("role", a.role().name());
        ArrayNode queues = n.putArray("queues");
        a.queues().forEach(queues::add);
        return n;
    }

    static DeskAgent agent(JsonNode n) {
        List<String> queues = new ArrayList<>();
        n.path("queues").forEach(q -> queues.add(q.asText()));
        return new DeskAgent(n.path("id").asText(), n.path("connector").asText(), n.path("name").asText(null),
                n.path("avatar").asText(null), queues, n.path("capacity").asInt(),
                DeskAgent.Role.valueOf(n.path("role").asText(DeskAgent.Role.AGENT.name())));
    }

    static JsonNode record(HandoffRecord r) {
        return JSON.createObjectNode().put("session", r.sessionId()).put("connector", r.connectorId())
                .put("queue", r.queue()).put("status", r.status().name()).put("enqueued", time(r.enqueuedAt()))
                .put("agent", r.agentId()).put("assigned", time(r.assignedAt()));
    }

    static HandoffRecord record(JsonNode n) {
        return new HandoffRecord(n.path("session").asText(), n.path("connector").asText(), n.path("queue").asText(),
                HandoffRecord.Status.valueOf(n.path("status").asText()), time(n.path("enqueued")),
                n.path("agent").asText(null), time(n.path("assigned")));
    }

    static JsonNode snapshot(DeskSnapshot s) {
        ObjectNode n = JSON.createObjectNode().put("presence", s.presence().name());
        ArrayNode mine = n.putArray("mine");
        s.mine().forEach(r -> mine.add(record(r)));
        ArrayNode queues = n.putArray("queues");
        for (DeskSnapshot.QueueView q : s.queues()) {
            ObjectNode view = queues.addObject().put("name", q.name()).put("assignment", q.assignment().name());
            ArrayNode waiting = view.putArray("waiting");
            q.waiting().forEach(w -> waiting.addObject().put("session", w.sessionId()).put("position", w.position())
                    .put("waited", w.waitedSeconds()));
        }
        return n;
    }

    static DeskSnapshot snapshot(JsonNode n) {
        List<HandoffRecord> mine = new ArrayList<>();
        n.path("mine").forEach(r -> mine.add(record(r)));
        List<DeskSnapshot.QueueView> queues = new ArrayList<>();
        for (JsonNode q : n.path("queues")) {
            List<DeskSnapshot.Waiting> waiting = new ArrayList<>();
            q.path("waiting").forEach(w -> waiting.add(new DeskSnapshot.Waiting(w.path("session").asText(),
                    w.path("position").asInt(), w.path("waited").asLong())));
            queues.add(new DeskSnapshot.QueueView(q.path("name").asText(),
                    QueueSettings.Assignment.valueOf(q.path("assignment").asText()), waiting));
        }
        return new DeskSnapshot(Presence.valueOf(n.path("presence").asText()), mine, queues);
    }

    static JsonNode enqueueResult(EnqueueResult result) {
        if (result instanceof EnqueueResult.Queued q) {
            return JSON.createObjectNode().put("queued", true).put("queue", q.queue()).put("position", q.position())
                    .put("estimate", q.estimatedWaitSeconds());
        }
        return JSON.createObjectNode().put("queued", false).put("reason", ((EnqueueResult.Refused) result).reason());
    }

    static EnqueueResult enqueueResult(JsonNode n) {
        return n.path("queued").asBoolean()
                ? new EnqueueResult.Queued(n.path("queue").asText(), n.path("position").asInt(), n.path("estimate").asInt())
                : new EnqueueResult.Refused(n.path("reason").asText());
    }

    /** {@code {session, reason, by_id, by_name}}; an older node sent the session id alone. */
    static JsonNode unassigned(String sessionId, Unassignment why) {
        return JSON.createObjectNode().put("session", sessionId).put("reason", why.reason().name())
                .put("by_id", why.byId()).put("by_name", why.byName());
    }

    static String unassignedSession(JsonNode n) {
        return n.isTextual() ? n.textValue() : n.path("session").asText();
    }

    static Unassignment unassignment(JsonNode n) {
        Unassignment.Reason reason;
        try {
            reason = Unassignment.Reason.valueOf(n.path("reason").asText(Unassignment.Reason.ENDED.name()));
        } catch (IllegalArgumentException e) {
            reason = Unassignment.Reason.ENDED; // a newer node's reason
        }
        return new Unassignment(reason, n.path("by_id").asText(null), n.path("by_name").asText(null));
    }

    static JsonNode supervisorResult(SupervisorResult r) {
        ObjectNode n = JSON.createObjectNode().put("outcome", r.outcome().name());
        if (r.conversation() != null) {
            n.set("conversation", record(r.conversation()));
        }
        return n;
    }

    static SupervisorResult supervisorResult(JsonNode n) {
        JsonNode conversation = n.path("conversation");
        return new SupervisorResult(SupervisorResult.Outcome.valueOf(n.path("outcome").asText()),
                conversation.isObject() ? record(conversation) : null);
    }

    static JsonNode overview(DeskOverview o) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode queues = n.putArray("queues");
        for (DeskOverview.QueueLoad q : o.queues()) {
            ObjectNode view = queues.addObject().put("name", q.name()).put("longest", q.longestWaitSeconds())
                    .put("average_wait", q.averageWaitSeconds())
                    .put("available", q.availableAgents());
            service(view, q.service());
            ArrayNode waiting = view.putArray("waiting");
            q.waiting().forEach(w -> waiting.addObject().put("session", w.sessionId()).put("position", w.position())
                    .put("waited", w.waitedSeconds()));
        }
        ArrayNode agents = n.putArray("agents");
        for (DeskOverview.AgentLoad a : o.agents()) {
            ObjectNode view = agents.addObject().put("id", a.id()).put("name", a.name()).put("role", a.role().name())
                    .put("presence", a.presence().name()).put("load", a.load()).put("capacity", a.capacity())
                    .put("average_handling", a.averageHandlingSeconds());
            service(view, a.service());
            ArrayNode queueNames = view.putArray("queues");
            a.queues().forEach(queueNames::add);
            ArrayNode conversations = view.putArray("conversations");
            a.conversations().forEach(r -> conversations.add(record(r)));
        }
        return n;
    }

    static DeskOverview overview(JsonNode n) {
        List<DeskOverview.QueueLoad> queues = new ArrayList<>();
        for (JsonNode q : n.path("queues")) {
            List<DeskSnapshot.Waiting> waiting = new ArrayList<>();
            q.path("waiting").forEach(w -> waiting.add(new DeskSnapshot.Waiting(w.path("session").asText(),
                    w.path("position").asInt(), w.path("waited").asLong())));
            queues.add(new DeskOverview.QueueLoad(q.path("name").asText(), waiting, q.path("longest").asLong(),
                    q.path("available").asInt(), q.path("average_wait").asLong(DeskOverview.NONE), service(q)));
        }
        List<DeskOverview.AgentLoad> agents = new ArrayList<>();
        for (JsonNode a : n.path("agents")) {
            List<String> queueNames = new ArrayList<>();
            a.path("queues").forEach(q -> queueNames.add(q.asText()));
            List<HandoffRecord> conversations = new ArrayList<>();
            a.path("conversations").forEach(r -> conversations.add(record(r)));
            agents.add(new DeskOverview.AgentLoad(a.path("id").asText(), a.path("name").asText(null),
                    DeskAgent.Role.valueOf(a.path("role").asText(DeskAgent.Role.AGENT.name())), queueNames,
                    Presence.valueOf(a.path("presence").asText()), a.path("load").asInt(), a.path("capacity").asInt(),
                    conversations, a.path("average_handling").asLong(DeskOverview.NONE), service(a)));
        }
        return new DeskOverview(queues, agents);
    }

    private static void service(ObjectNode view, DeskOverview.Service service) {
        view.put("first_response", service.firstResponseSeconds()).put("rating", service.rating());
    }

    private static DeskOverview.Service service(JsonNode view) {
        return new DeskOverview.Service(view.path("first_response").asLong(DeskOverview.NONE),
                view.path("rating").asDouble(DeskOverview.NO_RATING));
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    private static Instant time(JsonNode n) {
        return n.isTextual() ? Instant.parse(n.textValue()) : null;
    }
}
