package dev.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.Json;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one session's stored history against what the bench sent: every message stored exactly
 * once (matched by the {@code client_event_id} its echo carries), in send order, the stored
 * sequences contiguous from 1 with no gap or repeat, and each message answered by a complete agent
 * reply. Pure: feed it any event list.
 */
public final class HistoryChecker {
    private HistoryChecker() {
    }

    /** What the check found for one session; {@link #ok()} when nothing is wrong. */
    public record Result(
            String sessionId,
            int sent,
            int echoed,
            List<String> lost,
            List<String> duplicated,
            int outOfOrder,
            List<Long> gaps,
            List<Long> repeatedSequences,
            int unanswered,
            int storedEvents) {

        public boolean ok() {
            return lost.isEmpty() && duplicated.isEmpty() && outOfOrder == 0 && gaps.isEmpty()
                    && repeatedSequences.isEmpty() && unanswered == 0;
        }

        /** One line per kind of problem, naming the session and the messages or sequences. */
        public List<String> problems() {
            List<String> p = new ArrayList<>();
            String s = "session " + sessionId + ": ";
            if (!lost.isEmpty()) {
                p.add(s + lost.size() + " lost message(s): " + abbreviate(lost));
            }
            if (!duplicated.isEmpty()) {
                p.add(s + duplicated.size() + " duplicated message(s): " + abbreviate(duplicated));
            }
            if (outOfOrder > 0) {
                p.add(s + outOfOrder + " message(s) stored out of send order");
            }
            if (!gaps.isEmpty()) {
                p.add(s + "sequence gap(s), missing " + abbreviate(gaps));
            }
            if (!repeatedSequences.isEmpty()) {
                p.add(s + "repeated sequence(s) " + abbreviate(repeatedSequences));
            }
            if (unanswered > 0) {
                p.add(s + unanswered + " message(s) without an agent reply");
            }
            return p;
        }

        private static String abbreviate(List<?> items) {
            return items.size() <= 5 ? items.toString() : items.subList(0, 5) + " and " + (items.size() - 5) + " more";
        }
    }

    /**
     * @param sentClientEventIds the ids of the messages sent, in send order
     * @param history            the stored events of the session as replayed from cursor 0, in arrival order
     */
    public static Result check(String sessionId, List<String> sentClientEventIds, List<ServerEvent> history) {
        // Sequences: contiguous 1..n, each once.
        List<Long> gaps = new ArrayList<>();
        List<Long> repeated = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long max = 0;
        for (ServerEvent e : history) {
            if (e.sequence() != null) {
                if (!seen.add(e.sequence())) {
                    repeated.add(e.sequence());
                }
                max = Math.max(max, e.sequence());
            }
        }
        for (long seq = 1; seq <= max; seq++) {
            if (!seen.contains(seq)) {
                gaps.add(seq);
            }
        }

        // Messages: each sent id echoed once, in send order; each answered (FIFO).
        Set<String> sentSet = new HashSet<>(sentClientEventIds);
        Map<String, Integer> echoCount = new HashMap<>();
        Map<String, Long> firstEchoSequence = new LinkedHashMap<>();
        int pendingReplies = 0;
        boolean anyEcho = false;
        for (ServerEvent e : history) {
            if (e.sequence() == null) {
                continue;
            }
            if (e.type() == EventType.USER_MESSAGE) {
                anyEcho = true;
                pendingReplies++;
                String id = clientEventId(e.metadata());
                if (id != null && sentSet.contains(id)) {
                    echoCount.merge(id, 1, Integer::sum);
                    firstEchoSequence.putIfAbsent(id, e.sequence());
                }
            } else if (anyEcho && isCompleteReply(e) && pendingReplies > 0) {
                pendingReplies--;
            }
        }
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        int outOfOrder = 0;
        long previous = Long.MIN_VALUE;
        for (String id : sentClientEventIds) {
            Integer n = echoCount.get(id);
            if (n == null) {
                lost.add(id);
                continue;
            }
            if (n > 1) {
                duplicated.add(id);
            }
            long seq = firstEchoSequence.get(id);
            if (seq < previous) {
                outOfOrder++;
            }
            previous = Math.max(previous, seq);
        }
        return new Result(sessionId, sentClientEventIds.size(), echoCount.size(), List.copyOf(lost),
                List.copyOf(duplicated), outOfOrder, List.copyOf(gaps), List.copyOf(repeated), pendingReplies,
                (int) history.stream().filter(e -> e.sequence() != null).count());
    }

    private static boolean isCompleteReply(ServerEvent e) {
        return switch (e.type()) {
            case POLY_AGENT_MESSAGE, LIVE_AGENT_MESSAGE -> true;
            case POLY_AGENT_MESSAGE_CHUNK -> ((PolyAgentMessageChunk) e.payload()).isComplete();
            default -> false;
        };
    }

    /** {@code metadata.custom.client_event_id}, or {@code null}. */
    static String clientEventId(RawJson metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            JsonNode id = Json.MAPPER.readTree(metadata.json()).path("custom").path("client_event_id");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
