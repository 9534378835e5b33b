package dev.parley.server.agent.scripted;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.AttachmentContentType;
import dev.parley.protocol.ChatCallAction;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.HandoffRequest;
import dev.parley.server.agent.LanguageTag;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Turns the YAML tree of a flow file into a {@link Flow}, rejecting anything it would not use. */
final class FlowReader {
    static final String ROOT = "flow";
    /** Same flags as keywords: users type in any case and in any script. */
    static final int PATTERN_FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private static final List<String> FLOW_KEYS = List.of("agent", "greeting", "intents", "fallback");
    private static final List<String> AGENT_KEYS = List.of("name", "avatar_url");
    private static final List<String> INTENT_KEYS = List.of("name", "keywords", "patterns", "reply", "action", "handoff", "language");
    private static final List<String> HANDOFF_KEYS = List.of("reason", "queue", "route");
    private static final List<String> REPLY_KEYS =
            List.of("text", "attachments", "suggestions", "chat_call_actions", "end_conversation", "translations");
    /** A translated reply is a reply without translations of its own. */
    private static final List<String> TRANSLATED_KEYS = REPLY_KEYS.subList(0, REPLY_KEYS.size() - 1);
    /** As the official SDKs decode them on the wire. */
    private static final List<String> CALL_ACTION_KEYS = List.of("title", "contact_number");
    private static final List<String> ATTACHMENT_KEYS =
            List.of("title", "preview_image_url", "content_url", "content_type", "call_to_action_text");

    private FlowReader() {
    }

    static Flow read(JsonNode root) {
        Section flow = Section.of(root, Where.of(ROOT), FLOW_KEYS);
        Section agent = flow.section("agent", AGENT_KEYS);
        // No avatar is fine: clients then show the agent's initial.
        AgentProfile profile = new AgentProfile(agent.text("name"), agent.has("avatar_url") ? url(agent, "avatar_url") : null);
        Reply greeting = reply(flow.get("greeting"), Where.of("greeting"));
        List<Intent> intents = intents(flow);
        Reply fallback = reply(flow.get("fallback"), Where.of("fallback"));
        return new Flow(profile, greeting, intents, fallback);
    }

    private static List<Intent> intents(Section flow) {
        List<Intent> intents = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<JsonNode> items = flow.list("intents");
        for (int i = 0; i < items.size(); i++) {
            Intent intent = intent(items.get(i), i);
            if (!names.add(intent.name())) {
                throw Where.of(owner(items.get(i), i)).error("duplicate intent name");
            }
            intents.add(intent);
        }
        return intents;
    }

    private static Intent intent(JsonNode node, int index) {
        Section intent = Section.of(node, Where.of(owner(node, index)), INTENT_KEYS);
        String name = intent.text("name");
        List<String> keywords = texts(intent, "keywords");
        for (int i = 0; i < keywords.size(); i++) {
            if (KeywordIndex.tokens(keywords.get(i)).isEmpty()) {
                throw intent.at("keywords").item(i).error("has no character to match");
            }
        }
        List<Pattern> patterns = patterns(intent);
        if (keywords.isEmpty() && patterns.isEmpty()) {
            throw intent.where().error("needs at least one keyword or pattern");
        }
        Intent.Action action = action(intent);
        HandoffRequest handoff = null;
        if (action == Intent.Action.HANDOFF) {
            handoff = handoff(intent.section("handoff", HANDOFF_KEYS));
        } else if (intent.has("handoff")) {
            throw intent.at("handoff").error("is only allowed with action: handoff");
        }
        // End and handoff make sense on their own; a plain intent exists only to answer.
        boolean replyRequired = action == Intent.Action.NONE;
        Reply reply = replyRequired || intent.has("reply") ? reply(intent.get("reply"), intent.at("reply")) : null;
        String language = intent.has("language") ? language(intent, "language", intent.at("language")) : null;
        return new Intent(name, keywords, patterns, reply, action, handoff, language);
    }

    /** How an intent is named in errors: by its name when it has a usable one, else by position. */
    private static String owner(JsonNode node, int index) {
        JsonNode name = node == null ? null : node.get("name");
        if (name != null && name.isValueNode() && !name.asText().isBlank()) {
            return "intent \"" + name.asText() + "\"";
        }
        return "intent #" + (index + 1);
    }

    private static List<Pattern> patterns(Section intent) {
        List<Pattern> patterns = new ArrayList<>();
        for (String regex : texts(intent, "patterns")) {
            try {
                patterns.add(Pattern.compile(regex, PATTERN_FLAGS));
            } catch (PatternSyntaxException e) {
                throw new FlowException(intent.where() + ": regex \"" + regex + "\" does not compile: "
                        + e.getDescription() + " near index " + e.getIndex(), e);
            }
        }
        return patterns;
    }

    private static Intent.Action action(Section intent) {
        if (!intent.has("action")) {
            return Intent.Action.NONE;
        }
        String action = intent.text("action");
        return switch (action) {
            case "none" -> Intent.Action.NONE;
            case "end" -> Intent.Action.END;
            case "handoff" -> Intent.Action.HANDOFF;
            default -> throw intent.at("action").error("\"" + action + "\" is not one of none, end, handoff");
        };
    }

    private static HandoffRequest handoff(Section handoff) {
        HandoffReason reason = constant(handoff, "reason", HandoffReason.class);
        return new HandoffRequest(reason, handoff.text("queue"), handoff.optionalText("route"));
    }

    private static Reply reply(JsonNode node, Where where) {
        Section reply = Section.of(node, where, REPLY_KEYS);
        Reply base = reply(reply);
        if (!reply.has("translations")) {
            return base;
        }
        JsonNode translations = reply.get("translations");
        if (!translations.isObject()) {
            throw reply.at("translations").error("must be a mapping of language tags (fr, de-CH) to replies");
        }
        Map<String, Reply> byLanguage = new LinkedHashMap<>();
        for (Iterator<String> it = translations.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            Where at = reply.at("translations").field(key);
            String tag = LanguageTag.parse(key).orElseThrow(() -> at.error("is not a BCP-47 language tag such as fr or fr-FR"));
            if (byLanguage.put(tag, reply(Section.of(translations.get(key), at, TRANSLATED_KEYS))) != null) {
                throw at.error("repeats the language " + tag);
            }
        }
        return new Reply(base.text(), base.attachments(), base.suggestions(), base.callActions(),
                base.endConversation(), byLanguage);
    }

    /** The language tag at {@code key}, canonical. */
    private static String language(Section section, String key, Where where) {
        String text = section.text(key);
        return LanguageTag.parse(text).orElseThrow(
                () -> where.error("\"" + text + "\" is not a BCP-47 language tag such as fr or fr-FR"));
    }

    private static Reply reply(Section reply) {
        List<Attachment> attachments = new ArrayList<>();
        List<JsonNode> items = reply.list("attachments");
        for (int i = 0; i < items.size(); i++) {
            attachments.add(attachment(Section.of(items.get(i), reply.at("attachments").item(i), ATTACHMENT_KEYS)));
        }
        List<Suggestion> suggestions = texts(reply, "suggestions").stream().map(Suggestion::of).toList();
        List<ChatCallAction> calls = new ArrayList<>();
        List<JsonNode> callItems = reply.list("chat_call_actions");
        for (int i = 0; i < callItems.size(); i++) {
            Section call = Section.of(callItems.get(i), reply.at("chat_call_actions").item(i), CALL_ACTION_KEYS);
            calls.add(ChatCallAction.of(call.text("title"), call.text("contact_number")));
        }
        return new Reply(reply.text("text"), attachments, suggestions, calls, flag(reply, "end_conversation"));
    }

    /** {@code true} or {@code false} as YAML writes them; absent is false. */
    private static boolean flag(Section section, String key) {
        if (!section.has(key)) {
            return false;
        }
        JsonNode value = section.get(key);
        if (!value.isBoolean()) {
            throw section.at(key).error("must be true or false");
        }
        return value.asBoolean();
    }

    private static Attachment attachment(Section card) {
        String preview = card.has("preview_image_url") ? url(card, "preview_image_url") : null;
        return new Attachment(
                card.text("title"),
                preview,
                url(card, "content_url"),
                constant(card, "content_type", AttachmentContentType.class),
                card.optionalText("call_to_action_text"));
    }

    private static List<String> texts(Section section, String key) {
        List<JsonNode> items = section.list(key);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            texts.add(Section.scalar(items.get(i), section.at(key).item(i)));
        }
        return texts;
    }

    /**
     * Clients open these links in a browser, so only web URLs with a host make sense, or a path on
     * the chat server itself ({@code /widget/assets/ada.svg}, as the demo flow's images are), which
     * the web widget resolves against the server it talks to.
     */
    private static String url(Section section, String key) {
        String url = section.text(key);
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
            if (uri.getScheme() == null && uri.getRawAuthority() == null && url.startsWith("/") && !url.startsWith("//")
                    && !url.contains("\\")) {
                return url;
            }
        } catch (URISyntaxException e) {
            // Reported below like any other unusable URL.
        }
        throw section.at(key).error("must be an http or https URL or a path on this server (/…), got \"" + url + "\"");
    }

    /** Enum values are spelled exactly as on the wire, so a flow reads like the protocol. */
    private static <E extends Enum<E>> E constant(Section section, String key, Class<E> type) {
        String value = section.text(key);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw section.at(key).error("\"" + value + "\" is not one of " + allowed);
    }
}
