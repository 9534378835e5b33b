package dev.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.desk.BusinessHours;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code desk.queues[i].hours}: {@code zone} (an IANA id), {@code weekly} (days → ranges, e.g.
 * {@code mon-fri: "09:00-17:30"}, {@code sat: ["10:00-12:00", "13:00-14:00"]}, or a list of
 * {@code "mon-fri 09:00-17:30"} lines), {@code holidays} (ISO dates) and {@code closed_message}.
 * Every error names the key, so a bad file fails at start-up saying where.
 */
final class HoursReader {
    private static final Set<String> KEYS = Set.of("zone", "weekly", "holidays", "closed_message");
    private final Path file;

    HoursReader(Path file) {
        this.file = file;
    }

    BusinessHours read(JsonNode node, String key) {
        if (!node.isObject()) {
            throw error(key, "must be a mapping with zone, weekly, holidays and closed_message");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new ConfigException(file + ": unknown key '" + key + "." + k
                        + "' (known: closed_message, holidays, weekly, zone)");
            }
        }
        ZoneId zone = zone(node.get("zone"), key + ".zone");
        Map<String, List<String>> weekly = weekly(node.get("weekly"), key + ".weekly");
        Set<LocalDate> holidays = holidays(node.get("holidays"), key + ".holidays");
        JsonNode message = node.get("closed_message");
        String closedMessage = null;
        if (message != null && !message.isNull()) {
            if (!message.isTextual()) {
                throw error(key + ".closed_message", "must be text");
            }
            closedMessage = message.asText();
        }
        try {
            return new BusinessHours(zone, BusinessHours.weekly(weekly), holidays, closedMessage);
        } catch (IllegalArgumentException e) {
            throw error(key + ".weekly", e.getMessage());
        }
    }

    private ZoneId zone(JsonNode value, String key) {
        if (value == null || value.isNull()) {
            throw error(key, "is required (a time zone such as Europe/London)");
        }
        try {
            return ZoneId.of(value.asText());
        } catch (DateTimeException e) {
            throw error(key, "'" + value.asText() + "' is not a time zone (use an id such as Europe/London)");
        }
    }

    private Map<String, List<String>> weekly(JsonNode value, String key) {
        if (value == null || value.isNull()) {
            throw error(key, "is required (e.g. mon-fri: \"09:00-17:30\")");
        }
        Map<String, List<String>> entries = new LinkedHashMap<>();
        if (value.isArray()) { // ["mon-fri 09:00-17:30", "sat 10:00-14:00"]
            for (JsonNode line : value) {
                String text = line.asText().trim();
                int space = text.indexOf(' ');
                if (!line.isTextual() || space < 0) {
                    throw error(key, "'" + text + "' is not a line like \"mon-fri 09:00-17:30\"");
                }
                entries.computeIfAbsent(text.substring(0, space), d -> new ArrayList<>())
                        .addAll(split(text.substring(space + 1)));
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> ranges = new ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(r -> ranges.addAll(split(r.asText())));
                } else if (e.getValue().isTextual()) {
                    ranges.addAll(split(e.getValue().asText()));
                } else {
                    throw error(key + "." + e.getKey(), "must be a range like \"09:00-17:30\" or a list of them");
                }
                entries.put(e.getKey(), ranges);
            }
        } else {
            throw error(key, "must be a mapping of days to ranges (e.g. mon-fri: \"09:00-17:30\")");
        }
        // Check each entry on its own so the error names the day it is about.
        entries.forEach((days, ranges) -> {
            try {
                BusinessHours.weekly(Map.of(days, ranges));
            } catch (IllegalArgumentException e) {
                throw error(key + "." + days, e.getMessage());
            }
        });
        return entries;
    }

    /** "09:00-12:00, 13:00-17:30" is two ranges. */
    private static List<String> split(String ranges) {
        List<String> out = new ArrayList<>();
        for (String r : ranges.split(",")) {
            if (!r.isBlank()) {
                out.add(r.trim());
            }
        }
        return out;
    }

    private Set<LocalDate> holidays(JsonNode value, String key) {
        Set<LocalDate> dates = new LinkedHashSet<>();
        if (value == null || value.isNull()) {
            return dates;
        }
        if (!value.isArray()) {
            throw error(key, "must be a list of dates like 2026-12-25");
        }
        int i = 0;
        for (JsonNode date : value) {
            try {
                dates.add(LocalDate.parse(date.asText()));
            } catch (DateTimeException e) {
                throw error(key + "[" + i + "]", "'" + date.asText() + "' is not a date like 2026-12-25");
            }
            i++;
        }
        return dates;
    }

    private ConfigException error(String key, String problem) {
        return new ConfigException(file + ": '" + key + "' " + problem);
    }
}
