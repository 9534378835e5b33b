package dev.parley.server.session;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * What a user hears when a handoff is asked for outside the queue's business hours, in the
 * conversation's language when it is English, French or German (English otherwise). The time is
 * the queue's local time, with its zone named, since the user may be elsewhere.
 */
final class OutOfHoursTexts {
    /** Marks the system message that opens an offline conversation, so a rebuilt session knows it is one. */
    static final String OFFLINE_DETAIL = dev.parley.server.desk.OfflineConversation.MARKER_DETAIL;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    /** Within a week the weekday alone is clear; further away the date is added. */
    private static final int WEEKDAY_ONLY_DAYS = 6;

    private OutOfHoursTexts() {
    }

    /** E.g. "Our team is back Monday at 09:00 (Europe/London)." */
    static String backAt(String language, ZonedDateTime backAt, Instant now) {
        String lang = lang(language);
        if (backAt == null) {
            return switch (lang) {
                case "fr" -> "Notre équipe n'est pas disponible pour le moment.";
                case "de" -> "Unser Team ist im Moment nicht erreichbar.";
                default -> "Our team is not available at the moment.";
            };
        }
        Locale locale = Locale.forLanguageTag(lang);
        LocalDate today = now.atZone(backAt.getZone()).toLocalDate();
        long days = today.until(backAt.toLocalDate(), java.time.temporal.ChronoUnit.DAYS);
        String day = backAt.getDayOfWeek().getDisplayName(TextStyle.FULL, locale);
        String date = backAt.getDayOfMonth() + " " + backAt.getMonth().getDisplayName(TextStyle.FULL, locale);
        String time = CLOCK.format(backAt);
        String zone = backAt.getZone().getId();
        return switch (lang) {
            case "fr" -> "Notre équipe est de retour " + (days == 0 ? "aujourd'hui" : days == 1 ? "demain"
                    : days <= WEEKDAY_ONLY_DAYS ? day : day + " " + date) + " à " + time + " (" + zone + ").";
            case "de" -> "Unser Team ist " + (days == 0 ? "heute" : days == 1 ? "morgen"
                    : days <= WEEKDAY_ONLY_DAYS ? "am " + day : "am " + day + ", " + backAt.getDayOfMonth() + ". "
                    + backAt.getMonth().getDisplayName(TextStyle.FULL, locale))
                    + " um " + time + " Uhr (" + zone + ") wieder da.";
            default -> "Our team is back " + (days == 0 ? "today" : days == 1 ? "tomorrow"
                    : days <= WEEKDAY_ONLY_DAYS ? day : day + " " + date) + " at " + time + " (" + zone + ").";
        };
    }

    /** The queue's own text when configured, else an invitation to leave a message. */
    static String leaveAMessage(String language, String closedMessage) {
        if (closedMessage != null && !closedMessage.isBlank()) {
            return closedMessage;
        }
        return switch (lang(language)) {
            case "fr" -> "Vous pouvez laisser un message ici, l'équipe vous répondra.";
            case "de" -> "Sie können hier eine Nachricht hinterlassen, das Team meldet sich bei Ihnen.";
            default -> "You can leave a message here and the team will get back to you.";
        };
    }

    private static String lang(String language) {
        if (language == null) {
            return "en";
        }
        String primary = Locale.forLanguageTag(language.replace('_', '-')).getLanguage();
        return primary.equals("fr") || primary.equals("de") ? primary : "en";
    }
}
