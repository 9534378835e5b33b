package dev.parley.server.cli;

import dev.parley.server.config.ConfigException;
import dev.parley.server.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Lets flags take the same durations as the YAML file and environment ({@code 30s}, {@code 10m}...). */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value, "value");
        } catch (ConfigException e) {
            // picocli reports this as a usage error (exit 2) naming the option.
            throw new TypeConversionException(e.getMessage());
        }
    }
}
