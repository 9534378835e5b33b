package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.codec.Json;
import dev.parley.server.desk.Presence;
import java.io.IOException;

/** Reads one desk socket frame into a {@link DeskCommand}; anything wrong becomes {@link DeskCommand.Invalid}. */
final class DeskCommands {
    /** Same limit as a user's message text. */
    static final int MAX_TEXT_CHARS = 16_000;
    private static final ObjectReader STRICT = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DeskCommands() {
    }

    static DeskCommand parse(String frame) {
        JsonNode json;
        try {
            json = STRICT.readValue(frame);
        } catch (IOException e) {
            return new DeskCommand.Invalid(null, "malformed JSON");
        }
        if (json == null || !json.isObject()) {
            return new DeskCommand.Invalid(null, "a command is a JSON object");
        }
        JsonNode requestId = json.get("request_id");
        if (requestId != null && !(requestId.isTextual() || requestId.isIntegralNumber() || requestId.isNull())) {
            return new DeskCommand.Invalid(null, "request_id must be a string or an integer");
        }
        JsonNode type = json.get("type");
        if (type == null || !type.isTextual()) {
            return new DeskCommand.Invalid(requestId, "missing field: type");
        }
        try {
            String name = type.textValue();
            if (name.equals("desk.send")) {
                return send(json, requestId);
            } else if (name.equals("desk.typing")) {
                return new DeskCommand.Typing(requestId, sessionId(json), enumField(json, "state", TypingState.class));
            } else if (name.equals("desk.end")) {
                return new DeskCommand.Finish(requestId, sessionId(json));
            } else if (name.equals("desk.leave")) {
                return new DeskCommand.Leave(requestId, sessionId(json));
            } else if (name.equals("desk.transfer")) {
                return new DeskCommand.Transfer(requestId, sessionId(json), text(json, "queue"));
            } else if (name.equals("desk.presence")) {
                return presence(json, requestId);
            } else if (name.equals("desk.note")) {
                return note(json, requestId);
            } else if (name.equals("desk.claim")) {
                return new DeskCommand.Claim(requestId, optionalText(json, "session_id"));
            } else if (name.equals("desk.watch") || name.equals("desk.unwatch")) {
                return new DeskCommand.Watch(requestId, sessionId(json), name.equals("desk.watch"));
            } else if (name.equals("desk.take_over")) {
                return new DeskCommand.TakeOver(requestId, sessionId(json));
            } else if (name.equals("desk.reassign")) {
                return new DeskCommand.Reassign(requestId, sessionId(json), text(json, "agent_id"));
            }
            return new DeskCommand.Invalid(requestId, "unknown command type: " + name);
        } catch (BadField e) {
            return new DeskCommand.Invalid(requestId, e.getMessage());
        }
    }

    private static DeskCommand send(JsonNode json, JsonNode requestId) {
        String sessionId = sessionId(json);
        JsonNode text = json.get("text");
        if (text == null || !text.isTextual()) {
            throw new BadField("missing field: text");
        }
        if (text.textValue().isBlank()) {
            throw new BadField("text must not be empty");
        }
        if (text.textValue().length() > MAX_TEXT_CHARS) {
            throw new BadField("text longer than " + MAX_TEXT_CHARS + " characters");
        }
        return new DeskCommand.Send(requestId, sessionId, text.textValue());
    }

    private static DeskCommand note(JsonNode json, JsonNode requestId) {
        String sessionId = sessionId(json);
        JsonNode text = json.get("text");
        String value = text != null && text.isTextual() ? text.textValue() : null;
        java.util.Optional<String> refusal = dev.parley.server.desk.notes.DeskNotes.refusal(value);
        if (refusal.isPresent()) {
            throw new BadField(refusal.get());
        }
        return new DeskCommand.Note(requestId, sessionId, value);
    }

    private static DeskCommand presence(JsonNode json, JsonNode requestId) {
        Presence presence = enumField(json, "presence", Presence.class);
        if (presence == Presence.OFFLINE) {
            throw new BadField("presence must be AVAILABLE or AWAY");
        }
        return new DeskCommand.SetPresence(requestId, presence);
    }

    private static String sessionId(JsonNode json) {
        return text(json, "session_id");
    }

    private static String text(JsonNode json, String field) {
        String value = optionalText(json, field);
        if (value == null) {
            throw new BadField("missing field: " + field);
        }
        return value;
    }

    private static String optionalText(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw new BadField(field + " must be a non-empty string");
        }
        return node.textValue();
    }

    private static <E extends Enum<E>> E enumField(JsonNode json, String field, Class<E> type) {
        String value = text(json, field);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new BadField("invalid " + field + ": " + value);
        }
    }

    /** A field is missing or malformed; the message goes to the desk as is. */
    private static final class BadField extends RuntimeException {
        BadField(String message) {
            super(message, null, false, false);
        }
    }
}
