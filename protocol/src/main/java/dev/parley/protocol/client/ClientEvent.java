package dev.parley.protocol.client;

import dev.parley.protocol.EventType;
import dev.parley.protocol.RawJson;
import java.util.Optional;

/**
 * An event a client may send: exactly the five of PROTOCOL.md §5. The permits list is that index.
 * Every variant keeps the client's {@code metadata} verbatim so echoes and errors can return it.
 */
public sealed interface ClientEvent permits RequestAgentJoin, UserMessage, UserTyping, UserEndSession, Heartbeat {

    EventType type();

    /** The client's metadata exactly as sent, or {@code null}. */
    RawJson metadata();

    /** {@code metadata.custom.client_event_id} when the client set one (§4.4). */
    Optional<String> clientEventId();
}
