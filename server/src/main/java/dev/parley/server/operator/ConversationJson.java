package dev.parley.server.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.codec.Timestamps;
import dev.parley.server.csat.CsatRating;
import dev.parley.server.store.ErasureRecord;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.SessionSummary;
import java.time.Instant;

/** The JSON shapes of the operator API (docs/operator-openapi.yaml): a conversation, an erasure. */
public final class ConversationJson {
    private ConversationJson() {
    }

    public static ObjectNode summary(SessionSummary summary) {
        SessionRecord s = summary.session();
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("session_id", s.id())
                .put("connector_id", s.connectorId())
                .put("platform", s.platform())
                .put("streaming", s.streaming())
                .put("state", s.ended() ? "ended" : "open")
                .put("created_at", Timestamps.format(s.createdAt()))
                .put("last_activity_at", format(summary.lastActivityAt()))
                .put("ended_at", format(s.endedAt()))
                .put("end_reason", s.endReason() == null ? null : s.endReason().name())
                .put("handoff", summary.handedOff());
        if (summary.handoff() == null) {
            node.putNull("desk");
        } else {
            node.putObject("desk").put("queue", summary.handoff().queue()).put("status", summary.handoff().status())
                    .put("live_agent_id", summary.handoff().liveAgentId());
        }
        return node;
    }

    /** The summary with the conversation's CSAT rating: {@code "csat": {...}}, or null when it has none. */
    public static ObjectNode summary(SessionSummary summary, CsatRating csat) {
        ObjectNode node = summary(summary);
        if (csat == null) {
            node.putNull("csat");
        } else {
            node.set("csat", csat(csat));
        }
        return node;
    }

    /** {@code {"rating", "comment", "agent_id", "queue", "created_at"}}. */
    public static ObjectNode csat(CsatRating csat) {
        return Json.MAPPER.createObjectNode()
                .put("rating", csat.rating())
                .put("comment", csat.comment())
                .put("agent_id", csat.agentId())
                .put("queue", csat.queue())
                .put("created_at", Timestamps.format(csat.createdAt()));
    }

    public static ObjectNode erasure(ErasureRecord record) {
        return Json.MAPPER.createObjectNode()
                .put("session_id", record.sessionId())
                .put("connector_id", record.connectorId())
                .put("erased_at", Timestamps.format(record.erasedAt()))
                .put("erased_by", record.erasedBy());
    }

    private static String format(Instant at) {
        return at == null ? null : Timestamps.format(at);
    }
}
