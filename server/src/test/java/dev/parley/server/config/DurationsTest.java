package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "10m, PT10M", "2h, PT2H", "1d, PT24H", "45, PT45S", "' 15 s ', PT15S",
            "0, PT0S", "10M, PT10M"})
    void parsesEveryUnitAndPlainSeconds(String text, Duration expected) {
        assertThat(Durations.parse(text, "x")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "s", "-5s", "1.5s", "10 minutes", "5w", "PT5S", "99999999999999s"})
    void refusesAnythingElseNamingTheSetting(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "PARLEY_IDLE_TIMEOUT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("PARLEY_IDLE_TIMEOUT: ")
                .hasMessageContaining("30s");
    }
}
