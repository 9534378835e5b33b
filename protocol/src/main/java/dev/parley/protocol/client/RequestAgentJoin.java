package dev.parley.protocol.client;

import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import java.util.Optional;

/** {@code EVENT_TYPE_REQUEST_POLY_AGENT_JOIN} from the client (PROTOCOL.md §5.1). */
public record RequestAgentJoin(RawJson metadata, String clientEventIdOrNull) implements ClientEvent {
    @Override
    public EventType type() {
        return EventType.REQUEST_POLY_AGENT_JOIN;
    }

    @Override
    public Optional<String> clientEventId() {
        return Optional.ofNullable(clientEventIdOrNull);
    }
}
