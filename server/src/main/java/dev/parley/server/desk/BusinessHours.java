package dev.parley.server.desk;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When a queue has people behind it: weekly opening ranges in the queue's time zone, minus holidays.
 * Ranges are wall-clock times, so "09:00" stays 09:00 local across a DST change. A range belongs to
 * the day it starts on: {@code fri 22:00-02:00} runs into Saturday, and a holiday closes the ranges
 * that start on it. Every question takes the instant to judge, so callers pass their injected clock.
 *
 * @param closedMessage extra text for users outside hours (e.g. "Leave a message and we reply by email"), or null
 */
public record BusinessHours(ZoneId zone, Map<DayOfWeek, List<Range>> weekly, Set<LocalDate> holidays,
                            String closedMessage) {
    /** Far enough to pass any run of holidays; beyond it a queue counts as never opening again. */
    private static final int LOOK_AHEAD_DAYS = 400;

    public BusinessHours {
        Map<DayOfWeek, List<Range>> copy = new EnumMap<>(DayOfWeek.class);
        weekly.forEach((day, ranges) -> copy.put(day,
                ranges.stream().sorted(Comparator.comparing(Range::start)).toList()));
        weekly = Map.copyOf(copy);
        holidays = Set.copyOf(holidays);
        if (weekly.values().stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("weekly hours are empty: the queue would never open");
        }
    }

    /**
     * One opening range, local times. {@code end} before {@code start} runs past midnight into the
     * next day; {@code endsAtMidnight} is "24:00" (the whole rest of the day).
     */
    public record Range(LocalTime start, LocalTime end, boolean endsAtMidnight) {
        public Range {
            if (!endsAtMidnight && start.equals(end)) {
                throw new IllegalArgumentException("range " + start + "-" + end + " is empty");
            }
        }

        /** {@code "09:00-17:30"}, {@code "22:00-02:00"}, {@code "00:00-24:00"}. */
        public static Range parse(String text) {
            String[] parts = text.trim().split("\\s*-\\s*");
            if (parts.length != 2) {
                throw new IllegalArgumentException("'" + text + "' is not a range like 09:00-17:30");
            }
            LocalTime start = time(parts[0], false);
            boolean midnight = parts[1].equals("24:00");
            return new Range(start, midnight ? LocalTime.MIDNIGHT : time(parts[1], true), midnight);
        }

        private static LocalTime time(String text, boolean end) {
            if (!text.matches("\\d{1,2}:\\d{2}")) {
                throw new IllegalArgumentException("'" + text + "' is not a time like 09:00");
            }
            try {
                return LocalTime.parse(text.length() == 4 ? "0" + text : text);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a time of day (00:00 to "
                        + (end ? "24:00" : "23:59") + ")");
            }
        }

        boolean crossesMidnight() {
            return endsAtMidnight || end.isBefore(start);
        }
    }

    /** Days named like {@code mon}, {@code mon-fri}, {@code fri-mon} (wraps), {@code sat,sun}. */
    public static Set<DayOfWeek> parseDays(String text) {
        Set<DayOfWeek> days = java.util.EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",")) {
            String[] ends = part.trim().split("\\s*-\\s*");
            if (ends.length == 1) {
                days.add(day(ends[0]));
            } else if (ends.length == 2) {
                DayOfWeek from = day(ends[0]);
                DayOfWeek to = day(ends[1]);
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            } else {
                throw new IllegalArgumentException("'" + text + "' is not a day or range of days like mon-fri");
            }
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (t.length() >= 3 && full.startsWith(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a day (mon, tue, wed, thu, fri, sat, sun)");
    }

    public boolean isOpen(Instant at) {
        LocalDate today = at.atZone(zone).toLocalDate();
        // Yesterday's ranges may run past midnight into today.
        for (LocalDate day = today.minusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
            for (Range r : rangesOn(day)) {
                if (!start(day, r).isAfter(at) && end(day, r).isAfter(at)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** When the queue opens next, in its zone; {@code at} itself when open; empty if never (within a year and a bit). */
    public Optional<ZonedDateTime> nextOpening(Instant at) {
        if (isOpen(at)) {
            return Optional.of(at.atZone(zone));
        }
        LocalDate today = at.atZone(zone).toLocalDate();
        for (int i = 0; i <= LOOK_AHEAD_DAYS; i++) {
            LocalDate day = today.plusDays(i);
            for (Range r : rangesOn(day)) {
                ZonedDateTime start = ZonedDateTime.of(day, r.start(), zone);
                if (start.toInstant().isAfter(at)) {
                    return Optional.of(start);
                }
            }
        }
        return Optional.empty();
    }

    private List<Range> rangesOn(LocalDate day) {
        return holidays.contains(day) ? List.of() : weekly.getOrDefault(day.getDayOfWeek(), List.of());
    }

    /** A local time in a DST gap moves later by the gap's length, as {@link ZonedDateTime#of} does. */
    private Instant start(LocalDate day, Range r) {
        return ZonedDateTime.of(day, r.start(), zone).toInstant();
    }

    private Instant end(LocalDate day, Range r) {
        return ZonedDateTime.of(r.crossesMidnight() ? day.plusDays(1) : day, r.end(), zone).toInstant();
    }

    /** Builds the weekly map from config-style entries (days → ranges), merging days named twice. */
    public static Map<DayOfWeek, List<Range>> weekly(Map<String, List<String>> entries) {
        Map<DayOfWeek, List<Range>> weekly = new EnumMap<>(DayOfWeek.class);
        entries.forEach((days, ranges) -> {
            Set<DayOfWeek> set = parseDays(days);
            for (String range : ranges) {
                Range r = Range.parse(range);
                set.forEach(d -> weekly.computeIfAbsent(d, k -> new ArrayList<>()).add(r));
            }
        });
        return weekly;
    }
}
