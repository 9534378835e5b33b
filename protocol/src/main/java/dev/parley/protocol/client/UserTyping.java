package dev.parley.protocol.client;

import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import java.util.Optional;

/** {@code EVENT_TYPE_USER_TYPING} from the client (PROTOCOL.md §5.3). */
public record UserTyping(dev.parley.protocol.TypingState state, RawJson metadata, String clientEventIdOrNull) implements ClientEvent {
    @Override
    public EventType type() {
        return EventType.USER_TYPING;
    }

    @Override
    public Optional<String> clientEventId() {
        return Optional.ofNullable(clientEventIdOrNull);
    }
}
