package dev.parley.server.operator;

import java.util.Locale;
import java.util.Optional;

/** The shapes a transcript is exported in, with the media type each is served as. */
public enum TranscriptFormat {
    JSON("application/json"),
    TEXT("text/plain; charset=utf-8"),
    HTML("text/html; charset=utf-8");

    private final String mediaType;

    TranscriptFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** {@code json}, {@code text} or {@code html}, in any case; empty for anything else. */
    public static Optional<TranscriptFormat> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "json" -> Optional.of(JSON);
            case "text", "txt" -> Optional.of(TEXT);
            case "html" -> Optional.of(HTML);
            default -> Optional.empty();
        };
    }
}
