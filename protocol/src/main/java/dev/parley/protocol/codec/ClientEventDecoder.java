package dev.parley.protocol.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.EventType;
import dev.parley.protocol.Limits;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.client.ClientEvent;
import dev.parley.protocol.client.Heartbeat;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserEndSession;
import dev.parley.protocol.client.UserMessage;
import dev.parley.protocol.client.UserTyping;
import java.io.IOException;

/**
 * Turns one client text frame into a {@link ClientEvent} or a {@link Decoded.Rejected} that says
 * what was wrong. Validation follows PROTOCOL.md §4.1, §5, §11.1 and open point §13.8: client
 * supplied {@code id}/{@code sequence}/{@code timestamp} and unknown fields are ignored.
 */
public final class ClientEventDecoder {
    private final int maxTextChars;

    public ClientEventDecoder(int maxTextChars) {
        this.maxTextChars = maxTextChars;
    }

    public static ClientEventDecoder withDefaults() {
        return new ClientEventDecoder(Limits.MAX_TEXT_CHARS);
    }

    public Decoded decode(String frame) {
        Envelope envelope;
        try {
            envelope = Envelope.parse(frame);
        } catch (IOException | InvalidFrame e) {
            return invalid(e.getMessage(), null);
        }
        RawJson metadata = envelope.metadata;
        if (metadata != null && metadata.json().length() > Limits.MAX_METADATA_CHARS) {
            // Echoes carry the metadata back; bounding it keeps every stored event within one frame.
            return invalid("\"metadata\" is longer than " + Limits.MAX_METADATA_CHARS + " characters", null);
        }
        if (envelope.typeProblem != null) {
            return invalid(envelope.typeProblem, metadata); // §11.5: the error carries the frame's metadata
        }
        if (envelope.typeName == null) {
            return invalid("missing \"type\"", metadata);
        }
        EventType type = EventType.fromWireName(envelope.typeName).orElse(null);
        if (type == null) {
            return invalid("unknown type \"" + envelope.typeName + "\"", metadata);
        }
        if (!type.clientSendable()) {
            return new Decoded.Rejected(ErrorMessages.typeNotAllowed(type),
                    type.wireName() + " is sent by the server only", metadata);
        }
        JsonNode payload = envelope.payload;
        if (payload != null && !payload.isObject()) {
            return invalid("\"payload\" must be a JSON object", metadata);
        }
        String clientEventId = clientEventId(metadata);
        switch (type) {
            case USER_MESSAGE:
                return userMessage(payload, metadata, clientEventId);
            case USER_TYPING:
                return userTyping(payload, metadata, clientEventId);
            case REQUEST_POLY_AGENT_JOIN:
                return new Decoded.Accepted(new RequestAgentJoin(metadata, clientEventId));
            case USER_END_SESSION:
                return new Decoded.Accepted(new UserEndSession(metadata, clientEventId));
            case HEARTBEAT:
                return new Decoded.Accepted(new Heartbeat(metadata, clientEventId));
            default:
                throw new IllegalStateException("client type without decoder: " + type);
        }
    }

    private Decoded userMessage(JsonNode payload, RawJson metadata, String clientEventId) {
        JsonNode text = payload == null ? null : payload.get("text");
        if (text == null || text.isNull()) {
            return invalid("payload.text is required", metadata);
        }
        if (!text.isTextual()) {
            return invalid("payload.text must be a string", metadata);
        }
        String value = text.textValue();
        if (value.isBlank()) {
            return invalid("payload.text must not be empty", metadata);
        }
        if (value.length() > maxTextChars) {
            return invalid("payload.text is longer than " + maxTextChars + " characters", metadata);
        }
        return new Decoded.Accepted(new UserMessage(value, metadata, clientEventId));
    }

    private static Decoded userTyping(JsonNode payload, RawJson metadata, String clientEventId) {
        JsonNode state = payload == null ? null : payload.get("state");
        if (state == null || !state.isTextual()) {
            return invalid("payload.state must be TYPING_STATE_STARTED or TYPING_STATE_STOPPED", metadata);
        }
        try {
            return new Decoded.Accepted(new UserTyping(TypingState.valueOf(state.textValue()), metadata, clientEventId));
        } catch (IllegalArgumentException e) {
            return invalid("unknown payload.state \"" + state.textValue() + "\"", metadata);
        }
    }

    /**
     * The idempotency key (§13.5): {@code metadata.custom.client_event_id}, or when it is absent
     * {@code metadata.custom.local_id}, which PolyAI's official SDKs put on every user message and
     * keep on its resends.
     */
    private static String clientEventId(RawJson metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            JsonNode custom = Json.MAPPER.readTree(metadata.json()).path("custom");
            String id = idText(custom.path("client_event_id"));
            return id != null ? id : idText(custom.path("local_id"));
        } catch (IOException e) {
            return null; // cannot happen: the raw text was cut from a parsed object
        }
    }

    private static String idText(JsonNode id) {
        return id.isTextual() && !id.textValue().isEmpty() || id.isNumber() ? id.asText() : null;
    }

    private static Decoded invalid(String detail, RawJson metadata) {
        return new Decoded.Rejected(ErrorMessages.INVALID_FORMAT, detail, metadata);
    }

    /** The top-level fields we read, with {@code metadata} cut verbatim from the frame. */
    private static final class Envelope {
        String typeName;
        /**
         * Why {@code type} is unusable, or {@code null}. Noted rather than thrown so that the rest of
         * the frame is still read and the error can carry its {@code metadata} (PROTOCOL.md §11.5).
         */
        String typeProblem;
        JsonNode payload;
        RawJson metadata;

        static Envelope parse(String frame) throws IOException, InvalidFrame {
            Envelope envelope = new Envelope();
            try (JsonParser parser = Json.MAPPER.createParser(frame)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new InvalidFrame("frame is not a JSON object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (field) {
                        case "type":
                            if (value == JsonToken.VALUE_STRING) {
                                envelope.typeName = parser.getText();
                                envelope.typeProblem = null;
                            } else { // like any repeated field, the last "type" counts
                                envelope.typeName = null;
                                envelope.typeProblem = "\"type\" must be a string";
                                parser.skipChildren(); // an object or array: step over it to the next field
                            }
                            break;
                        case "payload":
                            envelope.payload = parser.readValueAsTree();
                            break;
                        case "metadata":
                            envelope.metadata = readMetadata(frame, parser, value);
                            break;
                        default:
                            parser.skipChildren();
                    }
                }
                if (parser.nextToken() != null) {
                    throw new InvalidFrame("unexpected content after the JSON object");
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InvalidFrame("malformed JSON: " + e.getOriginalMessage());
            }
            return envelope;
        }

        private static RawJson readMetadata(String frame, JsonParser parser, JsonToken value)
                throws IOException, InvalidFrame {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.START_OBJECT) {
                throw new InvalidFrame("\"metadata\" must be a JSON object");
            }
            int start = (int) parser.currentTokenLocation().getCharOffset();
            parser.skipChildren();
            int end = (int) parser.currentLocation().getCharOffset();
            return RawJson.of(frame.substring(start, end));
        }
    }

    private static final class InvalidFrame extends Exception {
        InvalidFrame(String message) {
            super(message, null, false, false);
        }
    }
}
