package dev.parley.server.agent.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Server-Sent Events of one streamed chat completion, line by line (OpenAI wire format):
 * {@code data: {chunk}} events separated by blank lines, ending with {@code data: [DONE]}. Comment
 * lines ({@code :...}) and other fields ({@code event:}, {@code id:}, {@code retry:}) are ignored.
 * Each chunk's {@code choices[0].delta.content} goes to the listener; its {@code tool_calls}
 * fragments are accumulated per {@code index} (name and id arrive once, {@code arguments} are split
 * across chunks); a last {@code usage} chunk with no choices is ignored. Not thread-safe: lines of
 * one response arrive in order from one subscriber.
 */
final class CompletionStream {

    /** What the stream produced, as it is read. */
    interface Listener {
        /** A non-empty text delta. */
        void content(String delta);

        /** The model started a tool call (no token may have been written yet). */
        void toolActivity();
    }

    /** A complete tool call: its arguments are the concatenated fragments, still JSON text. */
    record ToolCall(int index, String id, String name, String arguments) {
    }

    /** The provider sent something that is not a chat-completion chunk, or an error object. */
    static final class StreamException extends Exception {
        StreamException(String message) {
            super(message);
        }

        StreamException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class ToolCallBuilder {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final Listener listener;
    /** Data lines of the event being read; null when none. */
    private StringBuilder data;
    private final Map<Integer, ToolCallBuilder> tools = new TreeMap<>();
    private String finishReason;
    private boolean done;

    CompletionStream(Listener listener) {
        this.listener = listener;
    }

    /** One line, without its terminator. */
    void line(String line) throws StreamException {
        if (done) {
            return;
        }
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return; // comment, e.g. a keep-alive ": ping"
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        if (!field.equals("data")) {
            return; // event:, id:, retry:
        }
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (data == null) {
            data = new StringBuilder(value);
        } else {
            data.append('\n').append(value);
        }
    }

    /** The body ended: an event not closed by a blank line is still read. */
    void end() throws StreamException {
        dispatch();
    }

    /** {@code data: [DONE]} was read. */
    boolean done() {
        return done;
    }

    /** The last {@code finish_reason} seen ({@code stop}, {@code tool_calls}, {@code length}...), or null. */
    String finishReason() {
        return finishReason;
    }

    List<ToolCall> toolCalls() {
        List<ToolCall> calls = new ArrayList<>();
        tools.forEach((index, b) -> calls.add(new ToolCall(index, b.id, b.name, b.arguments.toString())));
        return calls;
    }

    private void dispatch() throws StreamException {
        if (data == null || done) {
            data = null;
            return;
        }
        String event = data.toString();
        data = null;
        if (event.strip().equals("[DONE]")) {
            done = true;
            return;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(event);
        } catch (JsonProcessingException e) {
            throw new StreamException("not a JSON chunk: " + abbreviate(event), e);
        }
        if (chunk == null || !chunk.isObject()) {
            throw new StreamException("not a JSON object: " + abbreviate(event));
        }
        if (chunk.hasNonNull("error")) {
            JsonNode error = chunk.get("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
            throw new StreamException("provider error in stream: " + abbreviate(message));
        }
        JsonNode choices = chunk.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return; // e.g. the final usage block
        }
        JsonNode choice = choices.get(0);
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            listener.content(content.asText());
        }
        JsonNode toolCalls = delta.path("tool_calls");
        if (toolCalls.isArray() && !toolCalls.isEmpty()) {
            for (int i = 0; i < toolCalls.size(); i++) {
                JsonNode call = toolCalls.get(i);
                int index = call.path("index").asInt(i);
                ToolCallBuilder b = tools.computeIfAbsent(index, k -> new ToolCallBuilder());
                if (call.path("id").isTextual() && !call.path("id").asText().isEmpty()) {
                    b.id = call.path("id").asText();
                }
                JsonNode function = call.path("function");
                if (function.path("name").isTextual() && !function.path("name").asText().isEmpty()) {
                    b.name = function.path("name").asText();
                }
                if (function.path("arguments").isTextual()) {
                    b.arguments.append(function.path("arguments").asText());
                }
            }
            listener.toolActivity();
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual()) {
            finishReason = finish.asText();
        }
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
