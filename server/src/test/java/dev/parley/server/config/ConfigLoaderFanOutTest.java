package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fanout:} in parley.yaml and {@code PARLEY_FANOUT_*}: in process unless told, Redis by URL. */
class ConfigLoaderFanOutTest {
    @TempDir
    Path dir;

    private ParleyConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("parley.yaml"), yaml);
        return new ConfigLoader(dir.resolve("parley.yaml")).load(env, ConfigOverrides.NONE);
    }

    @Test
    void withoutAFanOutSectionTheNodeRingsOnlyItself() throws IOException {
        assertThat(load("", Map.of()).fanOut()).isEqualTo(FanOutConfig.DEFAULTS);
        assertThat(FanOutConfig.DEFAULTS.kind()).isEqualTo(FanOutConfig.Kind.MEMORY);
    }

    @Test
    void aRedisFanOutIsChosenInTheFileAndTheEnvironmentWinsOverIt() throws IOException {
        String yaml = """
                fanout:
                  kind: redis
                  url: redis://cache.internal:6379
                """;
        assertThat(load(yaml, Map.of()).fanOut()).isEqualTo(FanOutConfig.redis("redis://cache.internal:6379"));
        assertThat(load(yaml, Map.of("PARLEY_FANOUT_URL", "redis://other:6380")).fanOut().url())
                .isEqualTo("redis://other:6380");
        assertThat(load("", Map.of("PARLEY_FANOUT_KIND", "Redis", "PARLEY_FANOUT_URL", "rediss://tls:6379")).fanOut())
                .isEqualTo(FanOutConfig.redis("rediss://tls:6379"));
    }

    @Test
    void anUnknownKindAnUnknownKeyOrAMissingUrlIsNamed() {
        assertThatThrownBy(() -> load("fanout: {kind: kafka}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'fanout.kind' must be memory or redis");
        assertThatThrownBy(() -> load("fanout: {kind: redis, host: x}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fanout.host");
        assertThatThrownBy(() -> load("fanout: {kind: redis}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fanout.url must be a redis://host:port URL");
        assertThatThrownBy(() -> load("", Map.of("PARLEY_FANOUT_KIND", "redis", "PARLEY_FANOUT_URL", "http://x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("got 'http://x'");
        assertThatThrownBy(() -> load("", Map.of("PARLEY_FANOUT_KIND", "nats")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_FANOUT_KIND must be memory or redis");
    }
}
