package dev.parley.server.agent.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.AttachmentContentType;
import dev.parley.protocol.ChatCallAction;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.HandoffRequest;
import dev.parley.server.agent.LanguageTag;
import dev.parley.server.agent.MessageOptions;
import dev.parley.server.agent.ReplySink;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Strict reading of a bot's answer (docs/webhook-agent.md): a whole JSON reply or one line of an
 * ndjson stream becomes {@link Step}s for the {@link ReplySink}. Anything off (not JSON, unknown
 * key, wrong type, unknown enum constant, non-web URL) is a {@link BadReply} naming the problem, so
 * the operator can fix the bot from one log line.
 */
final class WebhookReplies {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> REPLY_KEYS = Set.of("messages", "handoff", "end", "language");
    private static final Set<String> MESSAGE_KEYS =
            Set.of("text", "attachments", "suggestions", "chat_call_actions", "end_conversation");
    /** As the official SDKs decode them on the wire. */
    private static final Set<String> CALL_ACTION_KEYS = Set.of("title", "contact_number");
    private static final Set<String> ATTACHMENT_KEYS =
            Set.of("title", "preview_image_url", "content_url", "content_type", "call_to_action_text");
    private static final Set<String> HANDOFF_KEYS = Set.of("reason", "queue", "route");
    private static final Set<String> COMPLETE_KEYS =
            Set.of("complete", "attachments", "suggestions", "chat_call_actions", "end_conversation");

    private WebhookReplies() {
    }

    /** One thing to write to the sink. */
    sealed interface Step permits Text, Complete, Language, Handoff, End {
        void applyTo(ReplySink sink);
    }

    record Text(String delta) implements Step {
        public void applyTo(ReplySink sink) {
            sink.text(delta);
        }
    }

    record Complete(List<Attachment> attachments, List<Suggestion> suggestions, MessageOptions options)
            implements Step {
        Complete(List<Attachment> attachments, List<Suggestion> suggestions) {
            this(attachments, suggestions, MessageOptions.NONE);
        }

        public void applyTo(ReplySink sink) {
            sink.complete(attachments, suggestions, options);
        }
    }

    /** The conversation switches to this (canonical BCP-47) language. */
    record Language(String languageCode) implements Step {
        public void applyTo(ReplySink sink) {
            sink.language(languageCode);
        }
    }

    record Handoff(HandoffRequest request) implements Step {
        public void applyTo(ReplySink sink) {
            sink.handoff(request);
        }
    }

    record End() implements Step {
        public void applyTo(ReplySink sink) {
            sink.end(EndReason.REASON_NATURAL_END);
        }
    }

    /** The bot's answer breaks the contract; the message says where. */
    static final class BadReply extends Exception {
        BadReply(String message) {
            super(message);
        }
    }

    /** An {@code application/json} reply: every message, then the handoff or the end. */
    static List<Step> whole(String body) throws BadReply {
        JsonNode root = parse(body, "reply");
        object(root, "reply", REPLY_KEYS);
        List<Step> steps = new ArrayList<>();
        String language = optionalText(root, "language", "reply");
        if (language != null) {
            steps.add(new Language(languageTag(language, "reply")));
        }
        JsonNode messages = root.get("messages");
        if (messages != null && !messages.isNull()) {
            if (!messages.isArray()) {
                throw new BadReply("'messages' must be a list, got " + kind(messages));
            }
            for (int i = 0; i < messages.size(); i++) {
                String where = "messages[" + i + "]";
                JsonNode message = messages.get(i);
                object(message, where, MESSAGE_KEYS);
                String text = optionalText(message, "text", where);
                if (text != null && !text.isEmpty()) {
                    steps.add(new Text(text));
                }
                steps.add(new Complete(attachments(message, where), suggestions(message, where),
                        options(message, where)));
            }
        }
        JsonNode handoff = root.get("handoff");
        boolean end = bool(root, "end", "reply");
        if (handoff != null && !handoff.isNull()) {
            if (end) {
                throw new BadReply("a reply cannot both hand off and end");
            }
            steps.add(new Handoff(handoff(handoff, "handoff")));
        } else if (end) {
            steps.add(new End());
        }
        return steps;
    }

    /**
     * One line of an {@code application/x-ndjson} stream: exactly one of {@code delta},
     * {@code complete} (with its attachments and suggestions), {@code handoff}, {@code end}.
     *
     * @param number the line number, from 1, for the error message
     */
    static Step line(String line, int number) throws BadReply {
        String where = "stream line " + number;
        JsonNode node = parse(line, where);
        if (!node.isObject()) {
            throw new BadReply(where + " must be a JSON object, got " + kind(node));
        }
        if (node.has("delta")) {
            object(node, where, Set.of("delta"));
            JsonNode delta = node.get("delta");
            if (!delta.isTextual()) {
                throw new BadReply(where + ": 'delta' must be a string, got " + kind(delta));
            }
            return new Text(delta.asText());
        }
        if (node.has("complete")) {
            object(node, where, COMPLETE_KEYS);
            if (!node.get("complete").isBoolean() || !node.get("complete").asBoolean()) {
                throw new BadReply(where + ": 'complete' must be true, got " + node.get("complete"));
            }
            return new Complete(attachments(node, where), suggestions(node, where), options(node, where));
        }
        if (node.has("language")) {
            object(node, where, Set.of("language"));
            String language = optionalText(node, "language", where);
            if (language == null) {
                throw new BadReply(where + ": 'language' is required");
            }
            return new Language(languageTag(language, where));
        }
        if (node.has("handoff")) {
            object(node, where, Set.of("handoff"));
            return new Handoff(handoff(node.get("handoff"), where + ".handoff"));
        }
        if (node.has("end")) {
            object(node, where, Set.of("end"));
            if (!bool(node, "end", where)) {
                throw new BadReply(where + ": 'end' must be true, got false");
            }
            return new End();
        }
        throw new BadReply(where + " has none of 'delta', 'complete', 'language', 'handoff', 'end': " + abbreviate(line));
    }

    private static JsonNode parse(String text, String where) throws BadReply {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new BadReply(where + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadReply(where + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void object(JsonNode node, String where, Set<String> known) throws BadReply {
        if (!node.isObject()) {
            throw new BadReply(where + " must be a JSON object, got " + kind(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new BadReply(where + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static List<Attachment> attachments(JsonNode parent, String where) throws BadReply {
        JsonNode list = parent.get("attachments");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new BadReply(where + ": 'attachments' must be a list, got " + kind(list));
        }
        List<Attachment> attachments = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = where + ".attachments[" + i + "]";
            JsonNode card = list.get(i);
            object(card, at, ATTACHMENT_KEYS);
            String preview = optionalText(card, "preview_image_url", at);
            attachments.add(new Attachment(
                    requiredText(card, "title", at),
                    preview == null ? null : url(preview, at + ".preview_image_url"),
                    url(requiredText(card, "content_url", at), at + ".content_url"),
                    contentType(requiredText(card, "content_type", at), at),
                    optionalText(card, "call_to_action_text", at)));
        }
        return attachments;
    }

    private static List<Suggestion> suggestions(JsonNode parent, String where) throws BadReply {
        JsonNode list = parent.get("suggestions");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new BadReply(where + ": 'suggestions' must be a list of strings, got " + kind(list));
        }
        List<Suggestion> suggestions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new BadReply(where + ".suggestions[" + i + "] must be a non-empty string, got " + kind(item));
            }
            suggestions.add(Suggestion.of(item.asText()));
        }
        return suggestions;
    }

    /** {@code chat_call_actions} and {@code end_conversation} of a message (extensions the official SDKs read). */
    private static MessageOptions options(JsonNode parent, String where) throws BadReply {
        List<ChatCallAction> calls = new ArrayList<>();
        JsonNode list = parent.get("chat_call_actions");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new BadReply(where + ": 'chat_call_actions' must be a list, got " + kind(list));
            }
            for (int i = 0; i < list.size(); i++) {
                String at = where + ".chat_call_actions[" + i + "]";
                object(list.get(i), at, CALL_ACTION_KEYS);
                calls.add(ChatCallAction.of(requiredText(list.get(i), "title", at),
                        requiredText(list.get(i), "contact_number", at)));
            }
        }
        return new MessageOptions(calls, bool(parent, "end_conversation", where));
    }

    private static HandoffRequest handoff(JsonNode node, String where) throws BadReply {
        object(node, where, HANDOFF_KEYS);
        String reason = requiredText(node, "reason", where);
        HandoffReason parsed;
        try {
            parsed = HandoffReason.valueOf(reason);
        } catch (IllegalArgumentException e) {
            throw new BadReply(where + ".reason: '" + reason + "' is not one of " + List.of(HandoffReason.values()));
        }
        String route = optionalText(node, "route", where);
        return new HandoffRequest(parsed, requiredText(node, "queue", where),
                route == null || route.isBlank() ? null : route);
    }

    private static String languageTag(String value, String where) throws BadReply {
        return LanguageTag.parse(value).orElseThrow(() -> new BadReply(where + ".language: '" + abbreviate(value)
                + "' is not a BCP-47 language tag such as fr or fr-FR"));
    }

    private static AttachmentContentType contentType(String value, String where) throws BadReply {
        try {
            return AttachmentContentType.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new BadReply(where + ".content_type: '" + value + "' is not one of "
                    + List.of(AttachmentContentType.values()));
        }
    }

    /** Clients open these links in a browser, so only web URLs with a host are accepted. */
    private static String url(String value, String where) throws BadReply {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new BadReply(where + ": '" + abbreviate(value) + "' is not an http(s) URL");
    }

    private static boolean bool(JsonNode parent, String key, String where) throws BadReply {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new BadReply(where + ": '" + key + "' must be true or false, got " + kind(value));
        }
        return value.asBoolean();
    }

    private static String requiredText(JsonNode parent, String key, String where) throws BadReply {
        String text = optionalText(parent, key, where);
        if (text == null || text.isBlank()) {
            throw new BadReply(where + ": '" + key + "' is required");
        }
        return text;
    }

    private static String optionalText(JsonNode parent, String key, String where) throws BadReply {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadReply(where + ": '" + key + "' must be a string, got " + kind(value));
        }
        return value.asText();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + abbreviate(node.toString());
    }

    static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
