package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class OutOfHoursTextsTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** Saturday 7 March 2026, noon in London. */
    private static final Instant SATURDAY = Instant.parse("2026-03-07T12:00:00Z");
    private static final ZonedDateTime MONDAY_9 = ZonedDateTime.of(2026, 3, 9, 9, 0, 0, 0, LONDON);

    @Test
    void theBackTimeIsSaidInTheConversationsLanguage() {
        assertThat(OutOfHoursTexts.backAt(null, MONDAY_9, SATURDAY))
                .isEqualTo("Our team is back Monday at 09:00 (Europe/London).");
        assertThat(OutOfHoursTexts.backAt("en-GB", MONDAY_9, SATURDAY))
                .isEqualTo("Our team is back Monday at 09:00 (Europe/London).");
        assertThat(OutOfHoursTexts.backAt("fr-FR", MONDAY_9, SATURDAY))
                .isEqualTo("Notre équipe est de retour lundi à 09:00 (Europe/London).");
        assertThat(OutOfHoursTexts.backAt("de-DE", MONDAY_9, SATURDAY))
                .isEqualTo("Unser Team ist am Montag um 09:00 Uhr (Europe/London) wieder da.");
        assertThat(OutOfHoursTexts.backAt("es-ES", MONDAY_9, SATURDAY)).as("unsupported: English")
                .startsWith("Our team is back Monday");
    }

    @Test
    void todayTomorrowAndFarAwayDates() {
        ZonedDateTime later = ZonedDateTime.of(2026, 3, 7, 13, 0, 0, 0, LONDON);
        assertThat(OutOfHoursTexts.backAt("en", later, SATURDAY)).isEqualTo("Our team is back today at 13:00 (Europe/London).");
        assertThat(OutOfHoursTexts.backAt("de", later.plusDays(1), SATURDAY))
                .isEqualTo("Unser Team ist morgen um 13:00 Uhr (Europe/London) wieder da.");
        assertThat(OutOfHoursTexts.backAt("fr", later.plusDays(1), SATURDAY))
                .isEqualTo("Notre équipe est de retour demain à 13:00 (Europe/London).");
        assertThat(OutOfHoursTexts.backAt("en", MONDAY_9.plusDays(14), SATURDAY))
                .isEqualTo("Our team is back Monday 23 March at 09:00 (Europe/London).");
        // "Today" is the queue's day: 23:30 UTC on Saturday is already Sunday in Berlin.
        ZonedDateTime berlinMonday = ZonedDateTime.of(2026, 3, 9, 9, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        assertThat(OutOfHoursTexts.backAt("en", berlinMonday, Instant.parse("2026-03-07T23:30:00Z")))
                .isEqualTo("Our team is back tomorrow at 09:00 (Europe/Berlin).");
    }

    @Test
    void noOpeningAndTheLeaveAMessageText() {
        assertThat(OutOfHoursTexts.backAt("fr", null, SATURDAY)).isEqualTo("Notre équipe n'est pas disponible pour le moment.");
        assertThat(OutOfHoursTexts.leaveAMessage("de", null))
                .isEqualTo("Sie können hier eine Nachricht hinterlassen, das Team meldet sich bei Ihnen.");
        assertThat(OutOfHoursTexts.leaveAMessage("de", "Schreiben Sie uns.")).isEqualTo("Schreiben Sie uns.");
    }
}
