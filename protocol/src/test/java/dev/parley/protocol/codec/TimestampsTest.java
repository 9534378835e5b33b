package dev.parley.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static final DateTimeFormatter PATTERN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatsUtcWithMillisecondsAndDropsFinerDigits() {
        assertThat(Timestamps.format(Instant.parse("2024-02-29T23:59:59.999999999Z"))).isEqualTo("2024-02-29T23:59:59.999Z");
        assertThat(Timestamps.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Timestamps.format(Instant.parse("0001-01-01T00:00:00.007Z"))).isEqualTo("0001-01-01T00:00:00.007Z");
        assertThat(Timestamps.format(Instant.parse("1969-12-31T23:59:59.5Z"))).isEqualTo("1969-12-31T23:59:59.500Z");
    }

    @Test
    void writesWhatTheIsoPatternWritesForAnyInstantIncludingYearsBeyondFourDigits() {
        SplittableRandom random = new SplittableRandom(42);
        long range = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-range, range), random.nextInt(1_000_000_000));
            assertThat(Timestamps.format(t)).as("%s", t).isEqualTo(PATTERN.format(t));
        }
        Instant far = Instant.parse("+10000-01-01T00:00:00Z");
        assertThat(Timestamps.format(far)).isEqualTo(PATTERN.format(far));
    }
}
