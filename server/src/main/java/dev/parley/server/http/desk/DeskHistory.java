package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.parley.server.desk.ConversationLabel;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.operator.ConversationJson;
import dev.parley.server.operator.TranscriptFormat;
import dev.parley.server.operator.Transcripts;
import dev.parley.server.store.HistoryHit;
import dev.parley.server.store.HistoryQuery;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The desk's history (issue 14): searching ended conversations and reading one read-only. What an
 * agent may see is {@link HistoryAccess}'s decision. Blocks on the store: called off the event loop.
 */
final class DeskHistory {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private final OperatorStore operators;
    private final Transcripts transcripts;
    private final AgentDirectory agents;
    private final HistoryNotes notes;

    DeskHistory(OperatorStore operators, Transcripts transcripts, AgentDirectory agents, HistoryNotes notes) {
        this.operators = operators;
        this.transcripts = transcripts;
        this.agents = agents;
        this.notes = notes;
    }

    /** {@code {"conversations": [...], "next_cursor": ...}}, newest end first. */
    String search(DeskAgent agent, HistoryParameters p) {
        // One more than asked: whether a next page exists is then known, not guessed.
        List<HistoryHit> hits = operators.searchHistory(new HistoryQuery(HistoryAccess.connectorOf(agent),
                HistoryAccess.queues(agent), p.text(), p.queue(), p.agentId(), p.from(), p.until(), p.after(), p.limit() + 1));
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("conversations");
        Map<String, Optional<DeskAgent>> names = new HashMap<>();
        for (HistoryHit hit : hits.subList(0, Math.min(p.limit(), hits.size()))) {
            ObjectNode c = conversation(hit.summary(), names);
            if (hit.snippet() == null) {
                c.putNull("snippet");
            } else {
                c.set("snippet", snippet(hit.snippet()));
            }
            list.add(c);
        }
        if (hits.size() > p.limit()) {
            SessionSummary last = hits.get(p.limit() - 1).summary();
            root.put("next_cursor", HistoryParameters.cursor(last.session().endedAt(), last.session().id()));
        } else {
            root.putNull("next_cursor");
        }
        return root.toString();
    }

    /**
     * {@code {"conversation", "lines", "verified_context", "csat", "notes"}}; empty when there is no such
     * conversation or the agent may not see it (the same answer: a 404 tells nothing of other queues).
     */
    Optional<String> transcript(DeskAgent agent, String sessionId) {
        Optional<SessionSummary> summary = operators.findSessionSummary(sessionId);
        if (summary.isEmpty() || !HistoryAccess.maySee(agent, summary.get())) {
            return Optional.empty();
        }
        Optional<String> exported = transcripts.export(sessionId, TranscriptFormat.JSON);
        if (exported.isEmpty()) {
            return Optional.empty(); // erased in between
        }
        JsonNode full;
        try {
            full = Json.MAPPER.readTree(exported.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode conversation = conversation(summary.get(), new HashMap<>());
        customer(conversation, full);
        root.set("conversation", conversation);
        root.set("lines", full.path("lines"));
        root.set("verified_context", full.path("verified_context"));
        root.set("csat", full.path("session").path("csat")); // the user's rating, null when none was given
        root.putArray("notes").addAll(notes.notesOf(sessionId));
        return Optional.of(root.toString());
    }

    /**
     * The export of an ended conversation the agent may see, in {@code format} (the operator API's
     * rendering); empty as for {@link #transcript}.
     */
    Optional<String> export(DeskAgent agent, String sessionId, TranscriptFormat format) {
        Optional<SessionSummary> summary = operators.findSessionSummary(sessionId);
        if (summary.isEmpty() || !HistoryAccess.maySee(agent, summary.get())) {
            return Optional.empty();
        }
        return transcripts.export(sessionId, format);
    }

    /** {@code customer} of a history view, from the exported JSON: platform, last language, verified context. */
    private static void customer(ObjectNode conversation, JsonNode full) {
        String language = null;
        for (JsonNode e : full.path("events")) {
            if ("EVENT_TYPE_LANGUAGE_CHANGED".equals(e.path("type").asText())) {
                JsonNode code = e.path("payload").path("language_code");
                language = code.isTextual() ? code.textValue() : language;
            }
        }
        JsonNode values = full.path("verified_context").path("values");
        String name = values.isObject()
                ? ConversationLabel.customerName(Json.MAPPER.convertValue(values, MAP)).orElse(null) : null;
        ObjectNode customer = conversation.putObject("customer")
                .put("platform", conversation.path("platform").asText(null))
                .put("language", language)
                .put("name", name);
        customer.set("verified_context", values.isObject() ? values : Json.MAPPER.nullNode());
    }

    private ObjectNode conversation(SessionSummary summary, Map<String, Optional<DeskAgent>> names) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        ObjectNode s = ConversationJson.summary(summary);
        for (String field : List.of("session_id", "platform", "created_at", "ended_at", "end_reason")) {
            c.set(field, s.get(field));
        }
        c.put("label", ConversationLabel.of(summary.session().id()));
        String agentId = summary.handoff() == null ? null : summary.handoff().liveAgentId();
        c.put("queue", summary.handoff() == null ? null : summary.handoff().queue());
        if (agentId == null) {
            c.putNull("live_agent");
        } else {
            Optional<DeskAgent> found = names.computeIfAbsent(agentId, agents::find);
            c.putObject("live_agent").put("id", agentId).put("name", found.map(DeskAgent::name).orElse(null));
        }
        return c;
    }

    /** The store's marked snippet as segments, so the page highlights with text nodes, never markup. */
    static ArrayNode snippet(String marked) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        StringBuilder text = new StringBuilder();
        boolean match = false;
        for (char ch : marked.toCharArray()) {
            if (ch == HistoryHit.MARK_START || ch == HistoryHit.MARK_END) {
                if (text.length() > 0) {
                    parts.addObject().put("text", text.toString()).put("match", match);
                    text.setLength(0);
                }
                match = ch == HistoryHit.MARK_START;
            } else {
                text.append(ch);
            }
        }
        if (text.length() > 0) {
            parts.addObject().put("text", text.toString()).put("match", match);
        }
        return parts;
    }
}
