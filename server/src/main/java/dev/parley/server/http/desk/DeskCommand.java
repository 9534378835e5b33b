package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.TypingState;
import dev.parley.server.desk.Presence;

/** A command a desk sent over its socket (docs/desk-api.md), already validated by {@link DeskCommands}. */
sealed interface DeskCommand {

    /** Echoed on {@code desk.error}; may be null. */
    JsonNode requestId();

    /** Commands about one of the agent's conversations: checked with {@code desk.owns} first. */
    sealed interface AboutConversation extends DeskCommand {
        String sessionId();
    }

    record Send(JsonNode requestId, String sessionId, String text) implements AboutConversation {
    }

    record Typing(JsonNode requestId, String sessionId, TypingState state) implements AboutConversation {
    }

    /** {@code desk.end}: the agent finishes the conversation; the session ends. */
    record Finish(JsonNode requestId, String sessionId) implements AboutConversation {
    }

    /** {@code desk.leave}: the agent steps out; the conversation waits again in its queue for a colleague. */
    record Leave(JsonNode requestId, String sessionId) implements AboutConversation {
    }

    record Transfer(JsonNode requestId, String sessionId, String queue) implements AboutConversation {
    }

    record SetPresence(JsonNode requestId, Presence presence) implements DeskCommand {
    }

    /** {@code sessionId} null: the next waiting conversation of the agent's queues. */
    record Claim(JsonNode requestId, String sessionId) implements DeskCommand {
    }

    /**
     * {@code desk.note}: an internal note on the conversation. Not {@link AboutConversation}: who may
     * write one is the notes' own rule ({@code DeskNotes.mayUse}).
     */
    record Note(JsonNode requestId, String sessionId, String text) implements DeskCommand {
    }

    /** Supervisors: follow a conversation of the connector read-only, or stop. */
    record Watch(JsonNode requestId, String sessionId, boolean on) implements DeskCommand {
    }

    /** Supervisors: the conversation becomes theirs. */
    record TakeOver(JsonNode requestId, String sessionId) implements DeskCommand {
    }

    /** Supervisors: the conversation goes to {@code agentId}. */
    record Reassign(JsonNode requestId, String sessionId, String agentId) implements DeskCommand {
    }

    /** Not a command we accept; {@code message} says why. */
    record Invalid(JsonNode requestId, String message) implements DeskCommand {
    }
}
