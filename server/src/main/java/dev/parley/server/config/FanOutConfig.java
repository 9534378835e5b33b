package dev.parley.server.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How a node rings the other nodes' doorbells ({@code fanout:} in {@code parley.yaml}): in process
 * (the default, one node) or through Redis (production mode, several nodes). Redis only carries
 * doorbells; the truth stays in the store, so a node without Redis keeps serving, slower.
 *
 * @param url {@code redis://host:port} (or {@code rediss://}); {@code null} for {@code memory}
 */
public record FanOutConfig(Kind kind, String url) {

    public static final FanOutConfig DEFAULTS = new FanOutConfig(Kind.MEMORY, null);

    /** The fan-out kinds, spelt in YAML and {@code PARLEY_FANOUT_KIND} as {@link #yamlName()}. */
    public enum Kind {
        MEMORY, REDIS;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return empty for an unknown name */
        public static Optional<Kind> parse(String name) {
            for (Kind kind : values()) {
                if (kind.yamlName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** A Redis fan-out at {@code url} (tests, embedders). */
    public static FanOutConfig redis(String url) {
        return new FanOutConfig(Kind.REDIS, url);
    }

    public boolean isRedis() {
        return kind == Kind.REDIS;
    }

    FanOutConfig withKind(Kind value) {
        return new FanOutConfig(value, url);
    }

    FanOutConfig withUrl(String value) {
        return new FanOutConfig(kind, value);
    }
}
