package dev.parley.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration syntax shared by YAML, environment and flags: {@code 500ms 30s 10m 2h 1d} or plain seconds. */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * @param where names the setting in the error message, e.g. {@code PARLEY_IDLE_TIMEOUT}
     * @throws ConfigException if the text is not a non-negative duration in the syntax above
     */
    public static Duration parse(String text, String where) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(where + ": '" + text + "' is not a duration (use e.g. 500ms, 30s, 10m, 2h, 1d or plain seconds)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
