package dev.parley.client.internal;

import dev.parley.client.ClientOptions;
import dev.parley.client.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation's access token (PROTOCOL.md §2.1): keeps the one it holds and renews it ahead
 * of expiry, so that a later reconnect need not fetch one first. A failed renewal is only logged:
 * the next connection attempt finds the token stale and fetches one itself. Conversation thread
 * only, except the expiry test hook.
 */
final class AccessTokens {
    // The conversation's logger: these messages are about the conversation, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);

    private final ClientCore core;
    private final ClientOptions options;
    private final Timers timers;
    private final ConversationThread thread;
    private final RestCalls rest;
    /** True once the conversation is over: renewals stop. */
    private final BooleanSupplier finished;

    // Conversation thread only.
    private AccessToken token;
    private Timers.Cancellable renewalTimer;

    /** Written on the conversation thread, read anywhere: test hook for the token's expiry. */
    private volatile Instant expiresAt;

    AccessTokens(ClientCore core, ConversationThread thread, RestCalls rest, BooleanSupplier finished) {
        this.core = core;
        this.options = core.options();
        this.timers = core.timers();
        this.thread = thread;
        this.rest = rest;
        this.finished = finished;
    }

    /** The token held, or {@code null} before the first. */
    AccessToken current() {
        return token;
    }

    /** True when the token held is still good beyond the renewal margin. */
    boolean fresh() {
        return token != null && options.clock().instant().isBefore(token.expiresAt().minus(options.tokenRenewalMargin()));
    }

    /** Keeps {@code fresh} and schedules its renewal ahead of expiry, for later reconnects. */
    void use(AccessToken fresh) {
        token = fresh;
        expiresAt = fresh.expiresAt();
        Outbound.cancel(renewalTimer);
        Duration lifetime = Duration.between(options.clock().instant(), fresh.expiresAt());
        Duration delay = lifetime.minus(options.tokenRenewalMargin());
        if (delay.isNegative() || delay.isZero()) {
            delay = lifetime.dividedBy(2); // a margin longer than the lifetime: renew half way
        }
        renewalTimer = timers.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> thread.post(this::renew));
    }

    private void renew() {
        renewalTimer = null;
        if (finished.getAsBoolean() || core.http() == null) {
            return;
        }
        rest.accessToken().whenCompleteAsync((fresh, error) -> {
            if (finished.getAsBoolean()) {
                return;
            }
            if (error != null) {
                LOG.debug("token renewal failed; the next reconnect fetches one", error);
            } else {
                use(fresh);
            }
        }, thread);
    }

    /** Test hook, any thread: when the current access token expires, {@code null} before the first. */
    Instant expiresAt() {
        return expiresAt;
    }

    /** The conversation is over: no more renewals. */
    void stop() {
        Outbound.cancel(renewalTimer);
    }
}
