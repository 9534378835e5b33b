package dev.parley.server.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a subscription URL. Only absolute http(s) URLs with a host are accepted. Private and
 * loopback addresses are allowed on purpose: subscriptions are made by the operator (CLI, with the
 * store's credentials), never by end users, and usually point at the operator's own CRM or
 * collector inside their network; nothing a user sends chooses where a webhook goes.
 */
public final class WebhookUrls {
    private WebhookUrls() {
    }

    /** Why {@code url} is refused, or empty when it is acceptable. */
    public static Optional<String> problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("only http and https URLs are allowed");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("the URL has no host");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("credentials in the URL are not allowed (they would be logged and listed)");
        }
        return Optional.empty();
    }
}
