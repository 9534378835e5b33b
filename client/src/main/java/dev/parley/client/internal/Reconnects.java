package dev.parley.client.internal;

import dev.parley.client.ClientOptions;
import dev.parley.client.ConnectionState;
import dev.parley.client.ConversationLostException;
import dev.parley.client.Timers;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When to try again (PROTOCOL.md §3.6): a failed step or a drop schedules the next attempt after a
 * back-off, or the server's {@code Retry-After}, until the reconnect budget is spent; a final
 * refusal (4xx except 429) ends the conversation at once. Conversation thread only.
 */
final class Reconnects {
    // The conversation's logger: these messages are about the conversation, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);

    private final RealConversation conversation;
    private final ClientCore core;
    private final ClientOptions options;
    private final Timers timers;
    private final ConversationThread thread;
    private final Inbound in;
    /** The next attempt: starts over from the token step. */
    private final Runnable attempt;

    // Conversation thread only.
    private int failedAttempts;
    private Timers.Cancellable reconnectTimer;

    Reconnects(RealConversation conversation, ClientCore core, ConversationThread thread, Inbound in, Runnable attempt) {
        this.conversation = conversation;
        this.core = core;
        this.options = core.options();
        this.timers = core.timers();
        this.thread = thread;
        this.in = in;
        this.attempt = attempt;
    }

    /** A REST call or handshake failed: final for 4xx except 429, otherwise try again later. */
    void failed(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof WebSocketHandshakeException h) {
            cause = new HttpRefusal("WebSocket handshake", h.getResponse().statusCode(),
                    HttpRefusal.retryAfter(h.getResponse().headers()), String.valueOf(h.getResponse().body()));
        }
        if (cause instanceof HttpRefusal refusal) {
            if (refusal.isFinal()) {
                conversation.fail(new ConversationLostException(refusal.getMessage(), refusal.status, refusal));
            } else {
                schedule(refusal.retryAfter);
            }
            return;
        }
        LOG.debug("connection attempt failed", cause);
        schedule(null);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Tries again after {@code retryAfter}, or the back-off when {@code null}, unless the budget is spent. */
    void schedule(Duration retryAfter) {
        failedAttempts++;
        int budget = budget();
        if (budget != ClientOptions.UNLIMITED && failedAttempts > budget) {
            conversation.fail(new ConversationLostException("gave up after " + budget + " reconnect attempts", -1, null));
            return;
        }
        conversation.setState(conversation.sessionId() == null ? ConnectionState.CONNECTING : ConnectionState.RECONNECTING);
        Duration delay = retryAfter != null ? retryAfter : core.backoff().delay(failedAttempts);
        Outbound.cancel(reconnectTimer);
        reconnectTimer = timers.schedule(delay, () -> thread.post(() -> {
            reconnectTimer = null;
            attempt.run();
        }));
    }

    private int budget() {
        if (options.maxReconnectAttempts() != ClientOptions.FROM_SESSION) {
            return options.maxReconnectAttempts();
        }
        return in.maxReconnectAttempts();
    }

    /** The conversation is live again: the next failure starts a fresh budget. */
    void succeeded() {
        failedAttempts = 0;
    }

    /** The conversation is over: no more attempts. */
    void stop() {
        Outbound.cancel(reconnectTimer);
    }
}
