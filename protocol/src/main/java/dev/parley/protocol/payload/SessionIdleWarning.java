package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_SESSION_IDLE_WARNING}: the session has been inactive and will end as
 * {@code REASON_USER_ABANDONED} unless the client sends something. PolyAI's official SDKs decode
 * the type and read no payload field; both fields here are additive extensions.
 *
 * @param secondsRemaining whole seconds until the session ends, as of the event's timestamp
 * @param endsAt when the session ends without further activity, formatted like every timestamp
 */
public record SessionIdleWarning(long secondsRemaining, String endsAt) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.SESSION_IDLE_WARNING;
    }
}
