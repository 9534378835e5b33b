package dev.parley.protocol.payload;

import dev.parley.protocol.*;

/** Payload of {@code EVENT_TYPE_LANGUAGE_CHANGED}. The conversation language changed, BCP-47 (§6.4). */
public record LanguageChanged(String languageCode) implements ServerPayload {
    @Override
    public EventType type() {
        return EventType.LANGUAGE_CHANGED;
    }
}
