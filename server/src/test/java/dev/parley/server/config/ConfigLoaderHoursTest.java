package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.desk.BusinessHours;
import dev.parley.server.desk.QueueSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code desk.queues[].hours} (issue 14): read from YAML, and every mistake refused at start-up naming its key. */
class ConfigLoaderHoursTest {
    @TempDir
    Path dir;

    private ParleyConfig load(String yaml) throws IOException {
        Files.writeString(dir.resolve("parley.yaml"), yaml);
        return new ConfigLoader(dir.resolve("parley.yaml")).load(Map.of(), ConfigOverrides.NONE);
    }

    private static String queue(String hours) {
        return "desk:\n  queues:\n    - name: support\n      hours:\n" + hours.replaceAll("(?m)^      ", "        ");
    }

    @Test
    void hoursAreReadWithTheirZoneRangesHolidaysAndMessage() throws IOException {
        ParleyConfig config = load(queue("""
                        zone: Europe/Paris
                        weekly:
                          mon-fri: "09:00-12:00, 13:00-17:30"
                          sat: ["10:00-14:00"]
                        holidays: ["2026-12-25", 2026-12-26]
                        closed_message: Laissez-nous un message.
                """.indent(4)) + "    - name: sales\n");

        QueueSettings support = config.desk().queues().get(0);
        BusinessHours hours = support.hours();
        assertThat(hours.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(hours.weekly().get(DayOfWeek.MONDAY)).hasSize(2);
        assertThat(hours.weekly().get(DayOfWeek.SATURDAY)).hasSize(1);
        assertThat(hours.weekly()).doesNotContainKey(DayOfWeek.SUNDAY);
        assertThat(hours.holidays()).containsExactlyInAnyOrder(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-26"));
        assertThat(hours.closedMessage()).isEqualTo("Laissez-nous un message.");
        assertThat(hours.isOpen(Instant.parse("2026-03-04T08:30:00Z"))).isTrue(); // 09:30 in Paris
        assertThat(config.desk().queues().get(1).hours()).as("absent: always open").isNull();
    }

    @Test
    void theLineFormIsAcceptedToo() throws IOException {
        ParleyConfig config = load(queue("""
                        zone: UTC
                        weekly: ["mon-fri 09:00-17:30", "sat 10:00-14:00"]
                """.indent(4)));

        assertThat(config.desk().queues().get(0).hours().weekly()).containsKeys(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY);
    }

    @Test
    void mistakesAreRefusedNamingTheKey() {
        assertRefused(queue("      weekly: {mon: \"09:00-17:00\"}\n"), "'desk.queues[0].hours.zone' is required");
        assertRefused(queue("      zone: Mars/Olympus\n      weekly: {mon: \"09:00-17:00\"}\n"),
                "'desk.queues[0].hours.zone' 'Mars/Olympus' is not a time zone");
        assertRefused(queue("      zone: UTC\n"), "'desk.queues[0].hours.weekly' is required");
        assertRefused(queue("      zone: UTC\n      weekly: {mon: \"9-17\"}\n"),
                "'desk.queues[0].hours.weekly.mon' '9' is not a time like 09:00");
        assertRefused(queue("      zone: UTC\n      weekly: {funday: \"09:00-17:00\"}\n"),
                "'desk.queues[0].hours.weekly.funday' 'funday' is not a day");
        assertRefused(queue("      zone: UTC\n      weekly: {mon: \"09:00-25:00\"}\n"),
                "'desk.queues[0].hours.weekly.mon' '25:00' is not a time of day");
        assertRefused(queue("      zone: UTC\n      weekly: {}\n"), "'desk.queues[0].hours.weekly' weekly hours are empty");
        assertRefused(queue("      zone: UTC\n      weekly: {mon: \"09:00-17:00\"}\n      holidays: [\"25/12/2026\"]\n"),
                "'desk.queues[0].hours.holidays[0]' '25/12/2026' is not a date");
        assertRefused(queue("      zone: UTC\n      weekly: {mon: \"09:00-17:00\"}\n      open: true\n"),
                "unknown key 'desk.queues[0].hours.open'");
        assertRefused(queue("      zone: UTC\n      weekly: {mon: \"09:00-17:00\"}\n      closed_message: [a]\n"),
                "'desk.queues[0].hours.closed_message' must be text");
    }

    private void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
