package dev.parley.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.agent.Conversation.Speaker;
import dev.parley.server.agent.Conversation.Turn;
import dev.parley.server.store.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session actor knows, derived from its journal so that a restarted node resumes exactly
 * where the last one stopped: the head sequence, the AI agent's phase, whether the session ended,
 * the transcript agents read, and the echo of every client event id (for idempotent resends).
 * Confined to the actor's serial queue.
 */
final class SessionState {
    private long head;
    private AgentPhase phase = AgentPhase.NOT_JOINED;
    private boolean ended;
    private final List<Turn> transcript = new ArrayList<>();
    private final Map<String, String> echoByClientEventId = new HashMap<>();
    /** Streamed text per message id until its last chunk, while rebuilding. */
    private final Map<String, StringBuilder> partialChunks = new HashMap<>();

    static SessionState rebuild(List<StoredEvent> history) {
        SessionState state = new SessionState();
        history.forEach(state::apply);
        state.partialChunks.clear();
        return state;
    }

    /** Folds one journaled event in; called for history and for every new stored event. */
    void apply(StoredEvent event) {
        head = event.sequence();
        if (event.clientEventId() != null) {
            echoByClientEventId.put(event.clientEventId(), event.json());
        }
        switch (event.type()) {
            case POLY_AGENT_JOINED -> phase = AgentPhase.JOINED;
            case POLY_AGENT_LEFT -> phase = AgentPhase.LEFT;
            case SESSION_END -> ended = true;
            case USER_MESSAGE -> transcript.add(new Turn(Speaker.USER, payload(event).path("text").asText()));
            case POLY_AGENT_MESSAGE -> transcript.add(new Turn(Speaker.AI_AGENT, payload(event).path("text").asText()));
            case LIVE_AGENT_MESSAGE -> transcript.add(new Turn(Speaker.LIVE_AGENT, payload(event).path("text").asText()));
            case POLY_AGENT_MESSAGE_CHUNK -> applyChunk(payload(event));
            default -> {
            }
        }
    }

    private void applyChunk(JsonNode chunk) {
        String messageId = chunk.path("message_id").asText();
        StringBuilder text = partialChunks.computeIfAbsent(messageId, id -> new StringBuilder());
        text.append(chunk.path("text").asText());
        if (chunk.path("is_complete").asBoolean()) {
            partialChunks.remove(messageId);
            transcript.add(new Turn(Speaker.AI_AGENT, text.toString()));
        }
    }

    private static JsonNode payload(StoredEvent event) {
        try {
            return Json.MAPPER.readTree(event.json()).path("payload");
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable journal entry " + event.eventId(), e);
        }
    }

    long nextSequence() {
        return head + 1;
    }

    long head() {
        return head;
    }

    AgentPhase phase() {
        return phase;
    }

    boolean ended() {
        return ended;
    }

    List<Turn> transcript() {
        return List.copyOf(transcript);
    }

    String echoOf(String clientEventId) {
        return echoByClientEventId.get(clientEventId);
    }
}
