package dev.parley.server.agent.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one webhook bot.
 *
 * @param secret       HMAC key of the signature; never logged ({@link #toString} hides it)
 * @param timeout      per attempt: from sending the request to the last byte of the answer
 * @param maxRetries   further attempts after a 429, a 5xx, a connection error or a timeout, as long
 *                     as nothing of the answer reached the user yet
 * @param historyTurns at most this many earlier messages are sent with each turn
 */
public record WebhookSettings(URI url, String secret, Duration timeout, int maxRetries, String agentName,
                              String avatarUrl, int historyTurns) {

    public WebhookSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(agentName, "agentName");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxRetries < 0 || historyTurns < 0) {
            throw new IllegalArgumentException("maxRetries and historyTurns must not be negative");
        }
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + url + ", secret=****, timeout=" + timeout + ", maxRetries=" + maxRetries
                + ", agentName=" + agentName + ", avatarUrl=" + avatarUrl + ", historyTurns=" + historyTurns + "]";
    }
}
