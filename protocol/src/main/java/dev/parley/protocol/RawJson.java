package dev.parley.protocol;

import java.util.Objects;

/**
 * A JSON value kept exactly as the client wrote it. Used for {@code metadata}, which the server
 * must return untouched (PROTOCOL.md §4.3, §13.23): re-encoding could change number spellings or
 * key order.
 */
public record RawJson(String json) {
    public RawJson {
        Objects.requireNonNull(json, "json");
    }

    public static RawJson of(String json) {
        return new RawJson(json);
    }

    @Override
    public String toString() {
        return json;
    }
}
