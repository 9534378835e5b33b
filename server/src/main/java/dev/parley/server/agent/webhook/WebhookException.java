package dev.parley.server.agent.webhook;

/** Why a webhook turn failed; handed to {@code ReplySink.fail} so the session log shows it. */
public final class WebhookException extends RuntimeException {
    private final String reason;

    WebhookException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The low-cardinality metrics reason: {@code timeout}, {@code connection}, {@code status}, {@code bad_reply}, {@code error}. */
    public String reason() {
        return reason;
    }
}
