package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/**
 * Payload of {@code EVENT_TYPE_SESSION_START}. First stored event of every session (§6.4).
 *
 * @param contextId the session's verified-context id (§13.29): the {@code sub} a site's backend
 *     signs context tokens for; {@code null} (omitted) in sessions from before the feature
 */
public record SessionStart(Capabilities capabilities, String contextId) implements ServerPayload {

    /** Without a context id, as older sessions and clients have it. */
    public SessionStart(Capabilities capabilities) {
        this(capabilities, null);
    }

    @Override
    public EventType type() {
        return EventType.SESSION_START;
    }
}
