package dev.parley.protocol.client;

import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import java.util.Optional;

/** {@code EVENT_TYPE_USER_MESSAGE} from the client (PROTOCOL.md §5.2). */
public record UserMessage(String text, RawJson metadata, String clientEventIdOrNull) implements ClientEvent {
    @Override
    public EventType type() {
        return EventType.USER_MESSAGE;
    }

    @Override
    public Optional<String> clientEventId() {
        return Optional.ofNullable(clientEventIdOrNull);
    }
}
