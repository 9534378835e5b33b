package dev.parley.protocol.client;

import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import java.util.Optional;

/** {@code EVENT_TYPE_HEARTBEAT} from the client (PROTOCOL.md §5.5). */
public record Heartbeat(RawJson metadata, String clientEventIdOrNull) implements ClientEvent {
    @Override
    public EventType type() {
        return EventType.HEARTBEAT;
    }

    @Override
    public Optional<String> clientEventId() {
        return Optional.ofNullable(clientEventIdOrNull);
    }
}
