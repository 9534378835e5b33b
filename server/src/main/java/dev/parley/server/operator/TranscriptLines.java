package dev.parley.server.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.store.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a session's stored events into readable lines: messages of the user, the AI agent and the
 * live agent, system messages, and a note for each event that changes the conversation (handoff,
 * agent joined or left, end). A streamed AI reply is one line, its chunks joined, at the place of
 * its last chunk. Events that say nothing to a reader (echo-less heartbeats, queue positions) are skipped.
 */
final class TranscriptLines {
    private final List<TranscriptLine> lines = new ArrayList<>();
    /** Streamed replies still being assembled, by message id. */
    private final Map<String, StringBuilder> streams = new LinkedHashMap<>();

    void add(StoredEvent event) {
        JsonNode envelope;
        try {
            envelope = Json.MAPPER.readTree(event.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode p = envelope.path("payload");
        String ts = envelope.path("timestamp").asText();
        long seq = event.sequence();
        switch (event.type()) {
            case USER_MESSAGE -> line(seq, ts, "user", null, text(p, "text"));
            case POLY_AGENT_MESSAGE -> line(seq, ts, "ai_agent", text(p, "agent_name"), text(p, "text"));
            case POLY_AGENT_MESSAGE_CHUNK -> {
                String id = p.path("message_id").asText("");
                streams.computeIfAbsent(id, k -> new StringBuilder()).append(p.path("text").asText(""));
                if (p.path("is_complete").asBoolean(false)) {
                    line(seq, ts, "ai_agent", text(p, "agent_name"), streams.remove(id).toString());
                }
            }
            case LIVE_AGENT_MESSAGE -> line(seq, ts, "live_agent", text(p, "agent_name"), text(p, "text"));
            case SYSTEM_MESSAGE -> line(seq, ts, "system", null, text(p, "message"));
            case SESSION_START -> line(seq, ts, "event", null, "Conversation started");
            case POLY_AGENT_JOINED -> line(seq, ts, "event", null, "AI agent joined");
            case POLY_AGENT_TRIGGERED_HANDOFF -> line(seq, ts, "event", null, "AI agent handed the conversation off");
            case CLIENT_HANDOFF_REQUIRED -> line(seq, ts, "event", null, "Handoff to the client's own agents");
            case HANDOFF_ACCEPTED -> line(seq, ts, "event", null, "Handoff accepted");
            case HANDOFF_FAILED -> line(seq, ts, "event", null, "Handoff failed");
            case HANDOFF_TIMEOUT -> line(seq, ts, "event", null, "Handoff timed out");
            case LIVE_AGENT_JOINED -> line(seq, ts, "event", text(p.path("agent"), "name"), "Live agent joined");
            case LIVE_AGENT_LEFT -> line(seq, ts, "event", text(p, "agent_name"), "Live agent left");
            case USER_END_SESSION -> line(seq, ts, "event", null, "User ended the conversation");
            case SESSION_END -> line(seq, ts, "event", null, "Conversation ended (" + p.path("reason").asText("") + ")");
            default -> { }
        }
    }

    /** The lines so far; a stream never completed (cut off by a crash) is shown as it stands. */
    List<TranscriptLine> lines() {
        List<TranscriptLine> all = new ArrayList<>(lines);
        streams.forEach((id, text) -> all.add(new TranscriptLine(-1, "", "ai_agent", null, text.toString())));
        return all;
    }

    private void line(long seq, String ts, String speaker, String name, String text) {
        lines.add(new TranscriptLine(seq, ts, speaker, name, text == null ? "" : text));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
