package dev.parley.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every event type of the Messaging protocol (PROTOCOL.md §5, §6.6). The wire name is
 * {@code EVENT_TYPE_} followed by the constant's name.
 */
public enum EventType {
    // §5: the five types a client may send (four of them also come back as echoes).
    REQUEST_POLY_AGENT_JOIN(true),
    USER_MESSAGE(true),
    USER_TYPING(true),
    USER_END_SESSION(true),
    HEARTBEAT(true),
    // §6.1 AI agent
    POLY_AGENT_JOINED(false),
    POLY_AGENT_THINKING(false),
    POLY_AGENT_MESSAGE(false),
    POLY_AGENT_MESSAGE_CHUNK(false),
    POLY_AGENT_LEFT(false),
    POLY_AGENT_TRIGGERED_HANDOFF(false),
    // §6.2 live agent
    LIVE_AGENT_JOINED(false),
    LIVE_AGENT_TYPING(false),
    LIVE_AGENT_MESSAGE(false),
    LIVE_AGENT_LEFT(false),
    // §6.3 handoff
    HANDOFF_ACCEPTED(false),
    HANDOFF_QUEUE_STATUS(false),
    CLIENT_HANDOFF_REQUIRED(false),
    HANDOFF_FAILED(false),
    HANDOFF_TIMEOUT(false),
    // §6.4 system
    SESSION_START(false),
    SESSION_END(false),
    SYSTEM_MESSAGE(false),
    LANGUAGE_CHANGED(false),
    SESSION_IDLE_WARNING(false), // decoded by PolyAI's official SDKs; transient in Parley (docs/design.md)
    EVENT_BATCH(false);

    private static final String PREFIX = "EVENT_TYPE_";
    private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (EventType type : values()) {
            BY_WIRE_NAME.put(type.wireName, type);
        }
    }

    private final boolean clientSendable;
    private final String wireName;

    EventType(boolean clientSendable) {
        this.clientSendable = clientSendable;
        this.wireName = PREFIX + name();
    }

    /** The name on the wire, e.g. {@code EVENT_TYPE_USER_MESSAGE}. */
    public String wireName() {
        return wireName;
    }

    /** True for the five types of §5 that a client may send. */
    public boolean clientSendable() {
        return clientSendable;
    }

    /** Looks a wire name up; empty for anything that is not a protocol type. */
    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }
}
