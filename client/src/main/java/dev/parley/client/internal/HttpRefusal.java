package dev.parley.client.internal;

import java.time.Duration;

/** A REST call or WebSocket handshake answered with an HTTP error status. */
final class HttpRefusal extends RuntimeException {
    final int status;
    /** From {@code Retry-After}, or {@code null}. */
    final Duration retryAfter;

    HttpRefusal(String what, int status, Duration retryAfter, String body) {
        super(what + " refused with " + status + (body == null || body.isBlank() ? "" : ": " + body));
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** 4xx other than 429: asking again will get the same answer (PROTOCOL.md §2.3, §3.2). */
    boolean isFinal() {
        return status >= 400 && status < 500 && status != 429;
    }

    static Duration retryAfter(java.net.http.HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(v -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }).orElse(null);
    }
}
