package dev.parley.server.desk;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conversations waiting in one queue, oldest first, kept in order as they come and go so that
 * nobody re-sorts the queue to learn a position. Confined to the desk executor.
 */
final class WaitingLine {
    /**
     * Where a conversation stands: by {@code enqueuedAt} (a requeued conversation keeps its old
     * one and so goes back to the head), then by when the desk first saw it, which breaks ties
     * the way the stable sort of open handoffs did.
     */
    record Place(Instant enqueuedAt, long arrival) implements Comparable<Place> {
        @Override
        public int compareTo(Place other) {
            int byTime = enqueuedAt.compareTo(other.enqueuedAt);
            return byTime != 0 ? byTime : Long.compare(arrival, other.arrival);
        }
    }

    private final TreeMap<Place, HandoffRecord> line = new TreeMap<>();
    private final Map<String, Place> places = new HashMap<>();

    /** Adds {@code record}, or moves it to its new place. */
    void put(HandoffRecord record, long arrival) {
        remove(record.sessionId());
        Place place = new Place(record.enqueuedAt(), arrival);
        line.put(place, record);
        places.put(record.sessionId(), place);
    }

    void remove(String sessionId) {
        Place place = places.remove(sessionId);
        if (place != null) {
            line.remove(place);
        }
    }

    /** The oldest waiting conversation, or null. */
    HandoffRecord head() {
        return line.isEmpty() ? null : line.firstEntry().getValue();
    }

    /** The place of a waiting conversation, or null. */
    Place placeOf(String sessionId) {
        return places.get(sessionId);
    }

    /** 1-based; 0 when the conversation is not waiting here. A walk, so callers numbering everyone iterate instead. */
    int position(String sessionId) {
        Place place = places.get(sessionId);
        return place == null ? 0 : line.headMap(place).size() + 1;
    }

    /** Oldest first; a live view, so copy it before changing the line while walking. */
    Collection<HandoffRecord> inOrder() {
        return line.values();
    }

    int size() {
        return line.size();
    }
}
