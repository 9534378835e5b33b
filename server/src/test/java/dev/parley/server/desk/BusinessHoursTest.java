package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private static BusinessHours hours(ZoneId zone, Set<LocalDate> holidays, String... entries) {
        Map<String, List<String>> weekly = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            weekly.put(entries[i], List.of(entries[i + 1].split(",")));
        }
        return new BusinessHours(zone, BusinessHours.weekly(weekly), holidays, null);
    }

    private static BusinessHours office() {
        return hours(LONDON, Set.of(), "mon-fri", "09:00-17:30", "sat", "10:00-12:00,13:00-14:00");
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void openInsideRangesAndClosedOutside() {
        BusinessHours h = office();
        // Wednesday 4 March 2026, London is on GMT (= UTC).
        assertThat(h.isOpen(at("2026-03-04T08:59:59Z"))).isFalse();
        assertThat(h.isOpen(at("2026-03-04T09:00:00Z"))).isTrue();
        assertThat(h.isOpen(at("2026-03-04T17:29:59Z"))).isTrue();
        assertThat(h.isOpen(at("2026-03-04T17:30:00Z"))).isFalse(); // the end is exclusive
        // Saturday: two ranges with a lunch break.
        assertThat(h.isOpen(at("2026-03-07T11:00:00Z"))).isTrue();
        assertThat(h.isOpen(at("2026-03-07T12:30:00Z"))).isFalse();
        assertThat(h.isOpen(at("2026-03-07T13:30:00Z"))).isTrue();
        assertThat(h.isOpen(at("2026-03-08T11:00:00Z"))).isFalse(); // Sunday
    }

    @Test
    void nextOpeningSkipsTheWeekendAndTheLunchBreak() {
        BusinessHours h = office();
        assertThat(h.nextOpening(at("2026-03-06T18:00:00Z"))) // Friday evening
                .contains(ZonedDateTime.of(2026, 3, 7, 10, 0, 0, 0, LONDON));
        assertThat(h.nextOpening(at("2026-03-07T12:15:00Z")))
                .contains(ZonedDateTime.of(2026, 3, 7, 13, 0, 0, 0, LONDON));
        assertThat(h.nextOpening(at("2026-03-07T15:00:00Z"))) // Saturday afternoon → Monday
                .contains(ZonedDateTime.of(2026, 3, 9, 9, 0, 0, 0, LONDON));
        assertThat(h.nextOpening(at("2026-03-04T10:00:00Z")).orElseThrow().toInstant())
                .isEqualTo(at("2026-03-04T10:00:00Z")); // open now
    }

    @Test
    void localHoursStayLocalAcrossTheSpringDstChange() {
        BusinessHours h = hours(LONDON, Set.of(), "mon-fri", "09:00-17:30");
        // Clocks go forward on Sunday 29 March 2026: Friday 09:00 is 09:00Z, Monday 09:00 is 08:00Z.
        assertThat(h.isOpen(at("2026-03-27T08:30:00Z"))).isFalse();
        assertThat(h.isOpen(at("2026-03-30T08:30:00Z"))).isTrue();
        assertThat(h.isOpen(at("2026-03-30T16:45:00Z"))).isFalse(); // 17:45 BST
        ZonedDateTime back = h.nextOpening(at("2026-03-27T18:00:00Z")).orElseThrow();
        assertThat(back.toLocalTime()).hasToString("09:00");
        assertThat(back.toInstant()).isEqualTo(at("2026-03-30T08:00:00Z"));
    }

    @Test
    void rangesInsideTheSkippedAndRepeatedHoursOfDstDays() {
        // Spring: 01:00-02:00 local does not exist on 29 March 2026; a start in the gap moves later
        // by the gap's length (as ZonedDateTime.of does): 01:30 becomes 02:30 BST.
        BusinessHours spring = hours(LONDON, Set.of(), "sun", "01:30-03:00");
        assertThat(spring.isOpen(at("2026-03-29T00:45:00Z"))).isFalse(); // 00:45 GMT
        assertThat(spring.isOpen(at("2026-03-29T01:15:00Z"))).isFalse(); // 02:15 BST
        assertThat(spring.isOpen(at("2026-03-29T01:30:00Z"))).isTrue();  // 02:30 BST
        assertThat(spring.isOpen(at("2026-03-29T02:00:00Z"))).isFalse(); // 03:00 BST
        // Autumn: 25 October 2026 repeats 01:00-02:00; 00:30-03:00 local lasts three and a half hours.
        BusinessHours autumn = hours(LONDON, Set.of(), "sun", "00:30-03:00");
        assertThat(autumn.isOpen(at("2026-10-24T23:30:00Z"))).isTrue();  // 00:30 BST
        assertThat(autumn.isOpen(at("2026-10-25T02:59:00Z"))).isTrue();  // 02:59 GMT
        assertThat(autumn.isOpen(at("2026-10-25T03:00:00Z"))).isFalse(); // 03:00 GMT
    }

    @Test
    void rangesAcrossMidnightBelongToTheDayTheyStart() {
        BusinessHours h = hours(ZoneId.of("UTC"), Set.of(), "fri", "22:00-02:00", "sun", "20:00-24:00");
        assertThat(h.isOpen(at("2026-03-06T23:00:00Z"))).isTrue();  // Friday night
        assertThat(h.isOpen(at("2026-03-07T01:59:00Z"))).isTrue();  // Saturday early, still Friday's range
        assertThat(h.isOpen(at("2026-03-07T02:00:00Z"))).isFalse();
        assertThat(h.isOpen(at("2026-03-05T23:00:00Z"))).isFalse(); // Thursday night
        assertThat(h.isOpen(at("2026-03-08T23:59:59Z"))).isTrue();  // 24:00 is the end of Sunday
        assertThat(h.isOpen(at("2026-03-09T00:00:00Z"))).isFalse();
    }

    @Test
    void holidaysCloseTheRangesThatStartOnThem() {
        BusinessHours h = hours(LONDON, Set.of(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-28")),
                "mon-fri", "09:00-17:30");
        assertThat(h.isOpen(at("2026-12-24T10:00:00Z"))).isTrue();
        assertThat(h.isOpen(at("2026-12-25T10:00:00Z"))).isFalse(); // Friday, a holiday
        // Christmas Eve evening → the weekend → Monday 28 is a holiday too → Tuesday 29.
        assertThat(h.nextOpening(at("2026-12-24T18:00:00Z")))
                .contains(ZonedDateTime.of(2026, 12, 29, 9, 0, 0, 0, LONDON));
    }

    @Test
    void daysCanBeListedAndWrapAroundTheWeek() {
        assertThat(BusinessHours.parseDays("fri-mon")).hasSize(4);
        assertThat(BusinessHours.parseDays("sat,sun")).hasSize(2);
        assertThat(BusinessHours.parseDays("Monday")).hasSize(1);
        assertThatThrownBy(() -> BusinessHours.parseDays("mo")).hasMessageContaining("'mo' is not a day");
        assertThatThrownBy(() -> BusinessHours.Range.parse("9-17")).hasMessageContaining("not a time");
        assertThatThrownBy(() -> BusinessHours.Range.parse("09:00-25:00")).hasMessageContaining("not a time of day");
        assertThatThrownBy(() -> BusinessHours.Range.parse("09:00-09:00")).hasMessageContaining("empty");
    }

    @Test
    void aQueueWithNoHoursAtAllIsRefused() {
        assertThatThrownBy(() -> new BusinessHours(LONDON, Map.of(), Set.of(), null))
                .hasMessageContaining("never open");
    }
}
