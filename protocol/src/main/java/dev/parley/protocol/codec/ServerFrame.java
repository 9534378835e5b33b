package dev.parley.protocol.codec;

import dev.parley.protocol.ServerEvent;
import java.util.List;

/** One frame from the server as a client reads it: a single event, or a replay batch of events. */
public sealed interface ServerFrame {

    record Single(ServerEvent event) implements ServerFrame {
    }

    /** An {@code EVENT_BATCH}: its own id, and the replayed events in order (PROTOCOL.md §6.4). */
    record Batch(String id, List<ServerEvent> events) implements ServerFrame {
    }
}
