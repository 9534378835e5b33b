package dev.parley.server.desk;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A short human name for a conversation, so agents (and later supervisors) say "Amber Fox 27"
 * instead of reading out a UUID: two words and two digits, worked out from the session id alone,
 * so every node, every desk and every restart gives the same one. Not unique (32 × 32 × 100
 * combinations): the full session id stays next to it. Also picks the customer's name out of a
 * verified context when the site sent one.
 */
public final class ConversationLabel {
    private static final List<String> COLOURS = List.of(
            "Amber", "Azure", "Bronze", "Cedar", "Coral", "Crimson", "Denim", "Ember",
            "Fern", "Frost", "Golden", "Hazel", "Indigo", "Ivory", "Jade", "Lemon",
            "Lilac", "Maple", "Mint", "Olive", "Pearl", "Plum", "Quartz", "Ruby",
            "Sage", "Scarlet", "Silver", "Slate", "Teal", "Topaz", "Violet", "Willow");
    private static final List<String> ANIMALS = List.of(
            "Badger", "Bear", "Bison", "Crane", "Deer", "Dolphin", "Eagle", "Falcon",
            "Ferret", "Finch", "Fox", "Gecko", "Heron", "Ibis", "Koala", "Lark",
            "Lynx", "Marten", "Moose", "Otter", "Owl", "Panda", "Puffin", "Quail",
            "Raven", "Robin", "Seal", "Sparrow", "Swan", "Tiger", "Walrus", "Wren");
    /** Keys a site's verified context commonly names its customer with, most specific first. */
    private static final List<String> NAME_KEYS = List.of("name", "full_name", "fullName", "customer_name",
            "customerName", "display_name", "displayName");
    private static final int MAX_NAME_CHARS = 80;

    private ConversationLabel() {
    }

    /** "Amber Fox 27": the same for the same session id, everywhere. */
    public static String of(String sessionId) {
        int hash = fnv1a(sessionId == null ? "" : sessionId);
        int colour = hash & 31;
        int animal = (hash >>> 5) & 31;
        int number = Integer.remainderUnsigned(hash >>> 10, 100);
        return COLOURS.get(colour) + " " + ANIMALS.get(animal) + " " + (number < 10 ? "0" : "") + number;
    }

    /**
     * The customer's name from verified-context values ({@code name}, {@code full_name}, … or
     * {@code first_name} + {@code last_name}), trimmed and at most 80 characters; empty if none.
     */
    public static Optional<String> customerName(Map<String, ?> values) {
        if (values == null) {
            return Optional.empty();
        }
        for (String key : NAME_KEYS) {
            Optional<String> name = text(values.get(key));
            if (name.isPresent()) {
                return name;
            }
        }
        String first = text(values.get("first_name")).or(() -> text(values.get("firstName"))).orElse("");
        String last = text(values.get("last_name")).or(() -> text(values.get("lastName"))).orElse("");
        return text((first + " " + last).trim());
    }

    private static Optional<String> text(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        String name = s.strip().replaceAll("\\s+", " ");
        return Optional.of(name.length() > MAX_NAME_CHARS ? name.substring(0, MAX_NAME_CHARS) : name);
    }

    /** 32-bit FNV-1a over the UTF-8 bytes: stable across JVMs, unlike {@link String#hashCode} in spirit. */
    private static int fnv1a(String s) {
        int hash = 0x811c9dc5;
        for (byte b : s.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }
}
