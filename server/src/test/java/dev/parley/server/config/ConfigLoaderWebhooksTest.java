package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.webhooks.WebhookDeliverySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code webhooks:} in parley.yaml: outgoing webhook delivery (issue 14). */
class ConfigLoaderWebhooksTest {
    @TempDir
    Path dir;

    private ParleyConfig load(String yaml) throws IOException {
        Files.writeString(dir.resolve("parley.yaml"), yaml);
        return new ConfigLoader(dir.resolve("parley.yaml")).load(Map.of(), ConfigOverrides.NONE);
    }

    @Test
    void withoutASectionTheDefaultsApplyAndEachKeyOverridesOne() throws IOException {
        assertThat(load("").webhooks()).isEqualTo(WebhookDeliverySettings.DEFAULTS);
        WebhookDeliverySettings w = load("""
                webhooks:
                  max_attempts: 5
                  initial_backoff_seconds: 2
                  max_backoff_seconds: 600
                  timeout_seconds: 3
                  concurrency: 4
                  lease_seconds: 30
                """).webhooks();
        assertThat(w).isEqualTo(new WebhookDeliverySettings(5, Duration.ofSeconds(2), Duration.ofMinutes(10),
                Duration.ofSeconds(3), 4, WebhookDeliverySettings.DEFAULTS.pollInterval(), Duration.ofSeconds(30)));
    }

    @Test
    void unknownKeysAndImpossibleValuesStopTheStart() {
        assertThatThrownBy(() -> load("webhooks: {retries: 3}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("retries");
        assertThatThrownBy(() -> load("webhooks: {max_attempts: 0}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_attempts");
        assertThatThrownBy(() -> load("webhooks: {timeout_seconds: 90}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("lease_seconds");
    }
}
