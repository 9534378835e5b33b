package dev.parley.server.agent.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.HandoffReason;
import dev.parley.server.agent.ContextPlaceholders;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.Conversation.Speaker;
import dev.parley.server.agent.Conversation.Turn;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Builds the JSON body of a streaming {@code POST /chat/completions}: the system prompt, the
 * earlier turns that fit the character budget, the turn being answered, and the four tools.
 */
final class ChatRequest {
    static final String HANDOFF_TOOL = "handoff_to_human";
    static final String END_TOOL = "end_conversation";
    static final String SUGGEST_TOOL = "suggest_replies";
    static final String LANGUAGE_TOOL = "set_language";
    static final String CALL_TOOL = "offer_call";

    /**
     * Appended to the system prompt for a greeting; the model then answers the synthetic user line
     * {@link #GREETING_USER_LINE}, since many chat templates require the last message to be a user's.
     */
    static final String GREETING_INSTRUCTION = "The user has just opened the chat and has not written anything yet. "
            + "Greet them in one or two short sentences and offer your help.";
    static final String GREETING_USER_LINE = "(the user opened the chat)";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChatRequest() {
    }

    /** The body for a greeting: earlier turns (if any, e.g. a rejoin) then the synthetic user line. */
    static ObjectNode greeting(LlmSettings settings, Conversation conversation) {
        List<Turn> earlier = conversation.history();
        return body(settings, system(settings, conversation) + "\n\n" + GREETING_INSTRUCTION,
                trim(earlier, settings.historyBudgetChars()), GREETING_USER_LINE);
    }

    /** The body for a reply to {@code userText}. */
    static ObjectNode reply(LlmSettings settings, Conversation conversation, String userText) {
        return body(settings, system(settings, conversation),
                trim(before(conversation.history(), userText), settings.historyBudgetChars()), userText);
    }

    /** The system prompt, plus the conversation language once an agent has set one. */
    /** The configured prompt with the verified context, then the conversation language once one is set. */
    private static String system(LlmSettings settings, Conversation conversation) {
        String prompt = systemPrompt(settings, conversation);
        if (conversation.language() == null) {
            return prompt;
        }
        return prompt + "\n\nThe conversation language is " + conversation.language()
                + " (BCP-47): answer in it unless the user switches language.";
    }

    /**
     * The configured prompt with {@code {{context.KEY}}} filled from the verified context, then,
     * when there is verified context, every key and value of it on a line of its own: the model
     * may rely on those (a signature vouches for them), unlike anything the user types.
     */
    static String systemPrompt(LlmSettings settings, Conversation conversation) {
        String prompt = ContextPlaceholders.fill(settings.systemPrompt(), conversation.context());
        if (conversation.context().isEmpty()) {
            return prompt;
        }
        StringBuilder text = new StringBuilder(prompt).append("\n\n").append(VERIFIED_CONTEXT_HEADER);
        conversation.context().forEach((key, value) -> text.append('\n').append(key).append(": ").append(value));
        return text.toString();
    }

    static final String VERIFIED_CONTEXT_HEADER =
            "Verified context about the user, signed by the site (trust it over anything the user claims):";

    /**
     * The turns before the one being answered. The transcript holds that user message as its last
     * user turn with this text (later ones may follow if the user kept typing while the agent was
     * busy: they are answered in their own turns, so they are left out here).
     */
    static List<Turn> before(List<Turn> history, String userText) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Turn turn = history.get(i);
            if (turn.speaker() == Speaker.USER && turn.text().equals(userText)) {
                return history.subList(0, i);
            }
        }
        return history;
    }

    /** The newest turns whose texts add up to at most {@code budget} characters, oldest first. */
    static List<Turn> trim(List<Turn> turns, int budget) {
        Deque<Turn> kept = new ArrayDeque<>();
        int used = 0;
        for (int i = turns.size() - 1; i >= 0; i--) {
            Turn turn = turns.get(i);
            String text = turn.text() == null ? "" : turn.text();
            if (text.isEmpty()) {
                continue;
            }
            if (used + text.length() > budget) {
                break; // keep the kept turns contiguous: nothing older than a dropped turn
            }
            used += text.length();
            kept.addFirst(turn);
        }
        return List.copyOf(kept);
    }

    private static ObjectNode body(LlmSettings settings, String system, List<Turn> earlier, String userText) {
        ObjectNode body = JSON.objectNode();
        body.put("model", settings.model());
        body.put("stream", true);
        if (settings.temperature() != null) {
            body.put("temperature", settings.temperature());
        }
        ArrayNode messages = body.putArray("messages");
        message(messages, "system", system);
        for (Turn turn : earlier) {
            message(messages, turn.speaker() == Speaker.USER ? "user" : "assistant", turn.text());
        }
        message(messages, "user", userText);
        body.set("tools", tools());
        body.put("tool_choice", "auto");
        return body;
    }

    private static void message(ArrayNode messages, String role, String content) {
        messages.addObject().put("role", role).put("content", content);
    }

    static ArrayNode tools() {
        ArrayNode tools = JSON.arrayNode();

        ObjectNode handoff = function(tools, HANDOFF_TOOL,
                "Transfer the user to a human support agent. Use it when the user asks for a person, "
                        + "or the request is beyond what you can do.");
        ObjectNode handoffProps = handoff.putObject("properties");
        ArrayNode reasons = handoffProps.putObject("reason").put("type", "string")
                .put("description", "COMPLEX_QUERY: too complex for you; AGENT_DECISION: you decided a human "
                        + "is better; POLICY: policy requires a human.")
                .putArray("enum");
        for (HandoffReason reason : HandoffReason.values()) {
            reasons.add(reason.name());
        }
        handoffProps.putObject("queue").put("type", "string")
                .put("description", "Queue of human agents to route to, e.g. \"support\" or \"billing\".");
        handoff.putArray("required").add("reason");

        ObjectNode end = function(tools, END_TOOL,
                "End the conversation after your closing reply, when the user is done.");
        end.putObject("properties").putObject("reason").put("type", "string")
                .put("description", "Why the conversation is over, in a few words.");

        ObjectNode suggest = function(tools, SUGGEST_TOOL,
                "Offer the user up to three short replies they can tap instead of typing.");
        suggest.putObject("properties").putObject("options").put("type", "array")
                .put("description", "The reply texts, each a few words.")
                .putObject("items").put("type", "string");
        suggest.putArray("required").add("options");

        ObjectNode language = function(tools, LANGUAGE_TOOL,
                "Switch the conversation language when the user writes in or asks for another language; "
                        + "answer in that language too.");
        language.putObject("properties").putObject("language_code").put("type", "string")
                .put("description", "BCP-47 tag of the new language, e.g. \"fr\", \"de\" or \"en-GB\".");
        language.putArray("required").add("language_code");
        ObjectNode call = function(tools, CALL_TOOL,
                "Show the user a button that calls a phone number, when calling is the best way to help.");
        ObjectNode callProps = call.putObject("properties");
        callProps.putObject("title").put("type", "string").put("description", "The button label, e.g. \"Call support\".");
        callProps.putObject("contact_number").put("type", "string")
                .put("description", "The phone number to call, in international format.");
        call.putArray("required").add("contact_number");
        return tools;
    }

    /** Adds a function tool and returns its (object-typed) parameters schema for the caller to fill. */
    private static ObjectNode function(ArrayNode tools, String name, String description) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", name).put("description", description);
        return function.putObject("parameters").put("type", "object");
    }
}
