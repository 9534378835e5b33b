package dev.parley.protocol.client;

import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import java.util.Optional;

/** {@code EVENT_TYPE_USER_END_SESSION} from the client (PROTOCOL.md §5.4). */
public record UserEndSession(RawJson metadata, String clientEventIdOrNull) implements ClientEvent {
    @Override
    public EventType type() {
        return EventType.USER_END_SESSION;
    }

    @Override
    public Optional<String> clientEventId() {
        return Optional.ofNullable(clientEventIdOrNull);
    }
}
