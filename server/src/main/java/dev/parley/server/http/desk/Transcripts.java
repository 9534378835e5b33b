package dev.parley.server.http.desk;

import dev.parley.server.store.EventStore;
import dev.parley.server.store.StoredEvent;
import java.util.List;

/** The full stored history of a session as {@code {"events": [...]}}, each event as it was sent. Blocks. */
final class Transcripts {
    private static final int PAGE = 1000;
    private final EventStore events;

    Transcripts(EventStore events) {
        this.events = events;
    }

    String of(String sessionId) {
        StringBuilder json = new StringBuilder("{\"events\":[");
        long after = 0;
        boolean first = true;
        while (true) {
            List<StoredEvent> page = events.readAfter(sessionId, after, PAGE);
            for (StoredEvent event : page) {
                json.append(first ? "" : ",").append(event.json());
                first = false;
            }
            if (page.size() < PAGE) {
                return json.append("]}").toString();
            }
            after = page.get(page.size() - 1).sequence();
        }
    }
}
