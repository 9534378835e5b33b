package dev.parley.server.http;

/** The {@code cursor} query parameter (PROTOCOL.md §3.1): a bare integer or {@code seq:<n>}; anything else means 0. */
final class Cursor {
    private Cursor() {
    }

    /** @return the sequence to replay after, or -1 when the value is present but unreadable */
    static long parse(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        String digits = value.startsWith("seq:") ? value.substring(4) : value;
        try {
            long n = Long.parseLong(digits);
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
