package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How PolyAI's official mobile SDKs read a stream of events, restated from their public source as
 * a few facts (no code of theirs): Android {@code ChatSession.kt} / iOS {@code ChatSession.swift}
 * mark the conversation ended on {@code LIVE_AGENT_LEFT} (whatever its reason), on
 * {@code SESSION_END}, and on an AI message with {@code end_conversation: true}
 * ({@code ChatService}); only a new {@code SESSION_START} clears it. Their live bubble appends chunk
 * texts with nothing ({@code ChatSession.handleChunk}); the message they assemble when a stream
 * completes joins the non-empty chunk texts with a space ({@code ChatService.StreamingBuffer}).
 */
public final class OfficialSdkReading {
    private boolean ended;
    private final List<String> endedBy = new ArrayList<>();

    /** Feeds events as the app receives them (batches flattened). */
    public OfficialSdkReading read(List<JsonNode> events) {
        for (JsonNode e : Frames.flatten(events)) {
            String type = Frames.type(e);
            JsonNode payload = e.path("payload");
            if (type.equals("EVENT_TYPE_SESSION_START")) {
                ended = false;
            } else if (type.equals("EVENT_TYPE_LIVE_AGENT_LEFT") || type.equals("EVENT_TYPE_SESSION_END")
                    || (type.equals("EVENT_TYPE_POLY_AGENT_MESSAGE") && payload.path("end_conversation").asBoolean(false))) {
                ended = true;
                endedBy.add(type);
            }
        }
        return this;
    }

    /** True when the app shows "conversation ended". */
    public boolean showsEnded() {
        return ended;
    }

    public List<String> endedBy() {
        return List.copyOf(endedBy);
    }

    /** The live bubble of a streamed message: chunk texts appended as they are. */
    public static String liveBubble(List<JsonNode> chunks) {
        return chunks.stream().map(c -> c.path("payload").path("text").asText("")).collect(Collectors.joining());
    }

    /** The message assembled at {@code is_complete}: non-empty chunk texts joined with a space. */
    public static String assembled(List<JsonNode> chunks) {
        return chunks.stream().map(c -> c.path("payload").path("text").asText(""))
                .filter(t -> !t.isEmpty()).collect(Collectors.joining(" "));
    }

    /** The words of a text, to compare readings that differ only in spacing. */
    public static List<String> words(String text) {
        return List.of(text.strip().split("\\s+"));
    }
}
