package dev.parley.client.internal;

import dev.parley.client.AgentMessage;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.Suggestion;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reassembles streamed AI replies (PROTOCOL.md §7): chunks grouped by {@code message_id}, applied
 * in {@code chunk_index} order (1-based), text concatenated, attachments and suggestions appended,
 * complete at {@code is_complete}. At most {@code maxOpen} unfinished messages are kept; the
 * oldest is dropped beyond that. Not thread-safe: confined to the conversation's thread.
 */
public final class StreamAssembler {

    /** Text received so far for one message, and the whole message once complete. */
    public record Progress(String messageId, String textSoFar, AgentMessage completed) {
    }

    private static final class Assembly {
        final TreeMap<Integer, PolyAgentMessageChunk> waiting = new TreeMap<>();
        final StringBuilder text = new StringBuilder();
        final List<Attachment> attachments = new ArrayList<>();
        final List<Suggestion> suggestions = new ArrayList<>();
        int nextIndex = 1;
        boolean complete;
    }

    private final int maxOpen;
    private final Map<String, Assembly> open = new LinkedHashMap<>();

    public StreamAssembler(int maxOpen) {
        this.maxOpen = maxOpen;
    }

    /** Applies a chunk; empty when it changed nothing (a duplicate, or waiting for an earlier one). */
    public Optional<Progress> accept(PolyAgentMessageChunk chunk) {
        Assembly a = open.computeIfAbsent(chunk.messageId(), id -> new Assembly());
        if (chunk.chunkIndex() < a.nextIndex || a.waiting.containsKey(chunk.chunkIndex())) {
            return Optional.empty();
        }
        a.waiting.put(chunk.chunkIndex(), chunk);
        boolean progressed = false;
        while (!a.waiting.isEmpty() && a.waiting.firstKey() == a.nextIndex) {
            PolyAgentMessageChunk next = a.waiting.pollFirstEntry().getValue();
            a.nextIndex++;
            progressed = true;
            if (next.text() != null) {
                a.text.append(next.text());
            }
            if (next.attachments() != null) {
                a.attachments.addAll(next.attachments());
            }
            if (next.responseSuggestions() != null) {
                a.suggestions.addAll(next.responseSuggestions());
            }
            a.complete |= next.isComplete();
        }
        evictBeyondLimit();
        if (!progressed) {
            return Optional.empty();
        }
        AgentMessage completed = null;
        if (a.complete) {
            open.remove(chunk.messageId());
            completed = new AgentMessage(chunk.messageId(), null, a.text.toString(), a.attachments, a.suggestions);
        }
        return Optional.of(new Progress(chunk.messageId(), a.text.toString(), completed));
    }

    private void evictBeyondLimit() {
        while (open.size() > maxOpen) {
            open.remove(open.keySet().iterator().next());
        }
    }

    public int openCount() {
        return open.size();
    }
}
