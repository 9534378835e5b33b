package dev.parley.server.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.LiveAgent;
import dev.parley.protocol.TypingState;
import java.util.Optional;

/**
 * One command of the desk for a session's actor, as a value (issue 11): the desk leader's
 * {@code ConversationControl} calls and a live agent's messages and typing. It runs on the
 * session's actor where this node owns the session, else it travels to the owner's node topic.
 */
public record DeskToSession(Op op, String agentId, String agentName, String avatarUrl, String text,
                            String queue, int position, int estimatedWaitSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Op {
        QUEUE_STATUS, AGENT_JOINED, AGENT_FINISHED, TIMED_OUT, FAILED, AGENT_MESSAGE, AGENT_TYPING
    }

    public static DeskToSession of(Op op) {
        return new DeskToSession(op, null, null, null, null, null, 0, 0);
    }

    public static DeskToSession queueStatus(String queue, int position, int estimatedWaitSeconds) {
        return new DeskToSession(Op.QUEUE_STATUS, null, null, null, null, queue, position, estimatedWaitSeconds);
    }

    public static DeskToSession agentJoined(String agentId, String name, String avatarUrl) {
        return new DeskToSession(Op.AGENT_JOINED, agentId, name, avatarUrl, null, null, 0, 0);
    }

    public static DeskToSession agentMessage(String agentId, String text) {
        return new DeskToSession(Op.AGENT_MESSAGE, agentId, null, null, text, null, 0, 0);
    }

    public static DeskToSession agentTyping(String agentId, TypingState state) {
        return new DeskToSession(Op.AGENT_TYPING, agentId, null, null, state.name(), null, 0, 0);
    }

    void applyTo(SessionActor actor) {
        switch (op) {
            case QUEUE_STATUS -> actor.deskQueueStatus(queue, position, estimatedWaitSeconds);
            case AGENT_JOINED -> actor.deskAgentJoined(new LiveAgent(agentId, agentName, avatarUrl));
            case AGENT_FINISHED -> actor.deskAgentFinished();
            case TIMED_OUT -> actor.deskTimedOut();
            case FAILED -> actor.deskFailed();
            case AGENT_MESSAGE -> actor.liveAgentMessage(agentId, text);
            case AGENT_TYPING -> actor.liveAgentTyping(agentId, TypingState.valueOf(text));
        }
    }

    String toJson() {
        return JSON.createObjectNode().put("op", op.name()).put("agent", agentId).put("name", agentName)
                .put("avatar", avatarUrl).put("text", text).put("queue", queue).put("position", position)
                .put("estimate", estimatedWaitSeconds).toString();
    }

    /** Empty for a message of another version (ignored). */
    static Optional<DeskToSession> fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return Optional.of(new DeskToSession(Op.valueOf(n.path("op").asText()), n.path("agent").asText(null),
                    n.path("name").asText(null), n.path("avatar").asText(null), n.path("text").asText(null),
                    n.path("queue").asText(null), n.path("position").asInt(), n.path("estimate").asInt()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
