package dev.parley.protocol.payload;

import dev.parley.protocol.EventType;
import dev.parley.protocol.SystemLevel;

/**
 * Payload of {@code EVENT_TYPE_SYSTEM_MESSAGE} (§6.4, §11). {@code message} is always one of the
 * documented strings so that clients matching on it keep working; {@code detail}, an extra field
 * clients ignore when they do not know it, says exactly what was wrong.
 */
public record SystemMessage(SystemLevel level, String message, String detail) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.SYSTEM_MESSAGE;
    }

    public static SystemMessage error(String message, String detail) {
        return new SystemMessage(SystemLevel.SYSTEM_MESSAGE_LEVEL_ERROR, message, detail);
    }

    public static SystemMessage warning(String message, String detail) {
        return new SystemMessage(SystemLevel.SYSTEM_MESSAGE_LEVEL_WARNING, message, detail);
    }
}
