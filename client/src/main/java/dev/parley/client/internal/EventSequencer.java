package dev.parley.client.internal;

import dev.parley.protocol.ServerEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns what the sockets deliver into what the listener sees: each event once, stored events in
 * {@code sequence} order (PROTOCOL.md §4.5, §12).
 *
 * <p>Memory stays bounded: a stored event at or below the delivered sequence is known to be a
 * duplicate by its number alone, so only the ids of the last {@code idWindow} events are kept, for
 * transient events. Events ahead of a gap wait, at most {@code maxHeld} of them; past that the gap
 * is given up on (it should never happen, since one connection receives every stored event and a
 * reconnect replays from the cursor).
 *
 * <p>Not thread-safe: confined to the conversation's thread.
 */
public final class EventSequencer {
    private final int maxHeld;
    private final int idWindow;
    private final TreeMap<Long, ServerEvent> held = new TreeMap<>();
    private final LinkedHashSet<String> recentIds = new LinkedHashSet<>();
    private long delivered;

    public EventSequencer(long cursor, int maxHeld, int idWindow) {
        this.delivered = cursor;
        this.maxHeld = maxHeld;
        this.idWindow = idWindow;
    }

    /** The events that may be delivered now, in order; empty for a duplicate or a held event. */
    public List<ServerEvent> accept(ServerEvent event) {
        if (recentIds.contains(event.id())) {
            return List.of();
        }
        if (event.isTransient()) {
            remember(event.id());
            return List.of(event);
        }
        long sequence = event.sequence();
        if (sequence <= delivered || held.containsKey(sequence)) {
            return List.of();
        }
        held.put(sequence, event);
        List<ServerEvent> ready = new ArrayList<>();
        drain(ready);
        if (held.size() > maxHeld) {
            // Give the gap up: deliver from the lowest held event on.
            delivered = held.firstKey() - 1;
            drain(ready);
        }
        return ready;
    }

    private void drain(List<ServerEvent> ready) {
        while (!held.isEmpty() && held.firstKey() == delivered + 1) {
            Map.Entry<Long, ServerEvent> next = held.pollFirstEntry();
            delivered = next.getKey();
            remember(next.getValue().id());
            ready.add(next.getValue());
        }
    }

    private void remember(String id) {
        recentIds.add(id);
        if (recentIds.size() > idWindow) {
            recentIds.remove(recentIds.iterator().next());
        }
    }

    /** The highest sequence delivered: the cursor to reconnect with. */
    public long delivered() {
        return delivered;
    }

    public int heldCount() {
        return held.size();
    }
}
