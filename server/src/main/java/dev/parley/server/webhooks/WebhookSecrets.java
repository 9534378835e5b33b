package dev.parley.server.webhooks;

import dev.parley.server.auth.ContextKeySealer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets of subscriptions: 256 random bits as URL-safe base64, printed once by the CLI and
 * stored only sealed with the server secret (the sealer of context keys, bound to the subscription
 * id so a sealed value cannot be moved to another subscription). The server needs the secret itself
 * to sign, so it is sealed, not hashed.
 */
public final class WebhookSecrets {
    /** The sealer's "connector" slot for webhook secrets; no connector id has this shape. */
    private static final String SCOPE = "webhook:";
    private final ContextKeySealer sealer;

    public WebhookSecrets(ContextKeySealer sealer) {
        this.sealer = sealer;
    }

    public static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String seal(String subscriptionId, String secret) {
        return sealer.seal(SCOPE, subscriptionId, secret.getBytes(StandardCharsets.US_ASCII));
    }

    public String open(String subscriptionId, String sealed) {
        return new String(sealer.open(SCOPE, subscriptionId, sealed), StandardCharsets.US_ASCII);
    }
}
