package dev.parley.client.internal;

import dev.parley.client.ClientOptions;
import dev.parley.client.ConnectionState;
import dev.parley.client.ConversationLostException;
import dev.parley.client.Timers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the conversation a socket, one step per callback: access token (§2.1) → session (§2.2) →
 * socket with {@code cursor} = last delivered sequence (§3.1). {@link AccessTokens} keeps the token
 * renewed ahead of expiry for later reconnects. After a failure or a drop it tries again after a
 * back-off, or the server's {@code Retry-After}, within the reconnect budget (§3.6). Conversation
 * thread only, except the token-expiry test hook.
 */
final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);

    private final RealConversation conversation;
    private final ClientCore core;
    private final ClientOptions options;
    private final Timers timers;
    private final ConversationThread thread;
    private final RestCalls rest;
    private final Outbound out;
    private final Inbound in;
    private final AccessTokens tokens;

    // Conversation thread only.
    private int failedAttempts;
    private Timers.Cancellable reconnectTimer;

    Connector(RealConversation conversation, ClientCore core, ConversationThread thread, Outbound out, Inbound in) {
        this.conversation = conversation;
        this.core = core;
        this.options = core.options();
        this.timers = core.timers();
        this.thread = thread;
        this.rest = new RestCalls(core::http, options);
        this.out = out;
        this.in = in;
        this.tokens = new AccessTokens(core, thread, rest, conversation::isFinished);
    }

    /** Token, then session, then socket; each step continues on the conversation thread. */
    void connect(boolean tokenJustFetched) {
        if (conversation.isFinished()) {
            return;
        }
        if (core.http() == null) {
            conversation.finish();
            return;
        }
        if (!tokenJustFetched && !tokens.fresh()) {
            rest.accessToken().whenCompleteAsync((fresh, error) -> {
                if (!conversation.isFinished()) {
                    if (error != null) {
                        failed(error);
                    } else {
                        tokens.use(fresh);
                        connect(true);
                    }
                }
            }, thread);
            return;
        }
        if (conversation.sessionId() == null) {
            rest.createSession(tokens.current()).whenCompleteAsync((id, error) -> {
                if (!conversation.isFinished()) {
                    if (error != null) {
                        failed(error);
                    } else {
                        conversation.sessionCreated(id);
                        connect(true);
                    }
                }
            }, thread);
            return;
        }
        openSocket();
    }

    /** Test hook, any thread: when the current access token expires, {@code null} before the first. */
    Instant tokenExpiresAt() {
        return tokens.expiresAt();
    }

    private void openSocket() {
        HttpClient http = core.http();
        if (http == null) {
            conversation.finish();
            return;
        }
        int gen = out.nextGeneration();
        in.resetReplay();
        http.newWebSocketBuilder()
                .connectTimeout(options.connectTimeout())
                .buildAsync(socketUri(), new SocketListener(gen, conversation.socketSink()))
                .whenCompleteAsync((ws, error) -> opened(gen, ws, error), thread);
    }

    private URI socketUri() {
        String base = options.baseUrl().toString().replaceFirst("^http", "ws");
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/ws?session_id=" + enc(conversation.sessionId()) + "&access_token=" + enc(tokens.current().value())
                + "&cursor=" + in.delivered());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The handshake of socket {@code gen} completed, from the builder or the listener's onOpen. */
    void opened(int gen, WebSocket ws, Throwable error) {
        if (conversation.isFinished() || !out.isCurrent(gen)) {
            if (ws != null) {
                ws.abort();
            }
            return;
        }
        if (error != null) {
            failed(error);
        } else if (!out.hasSocket()) {
            out.attach(ws); // from the listener's onOpen, which comes before the socket's first frame
        }
    }

    /** A REST call or handshake failed: final for 4xx except 429, otherwise try again later. */
    private void failed(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof WebSocketHandshakeException h) {
            cause = new HttpRefusal("WebSocket handshake", h.getResponse().statusCode(),
                    HttpRefusal.retryAfter(h.getResponse().headers()), String.valueOf(h.getResponse().body()));
        }
        if (cause instanceof HttpRefusal refusal) {
            if (refusal.isFinal()) {
                conversation.fail(new ConversationLostException(refusal.getMessage(), refusal.status, refusal));
            } else {
                scheduleReconnect(refusal.retryAfter);
            }
            return;
        }
        LOG.debug("connection attempt failed", cause);
        scheduleReconnect(null);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Tries again after {@code retryAfter}, or the back-off when {@code null}, unless the budget is spent. */
    void scheduleReconnect(Duration retryAfter) {
        failedAttempts++;
        int budget = reconnectBudget();
        if (budget != ClientOptions.UNLIMITED && failedAttempts > budget) {
            conversation.fail(new ConversationLostException("gave up after " + budget + " reconnect attempts", -1, null));
            return;
        }
        conversation.setState(conversation.sessionId() == null ? ConnectionState.CONNECTING : ConnectionState.RECONNECTING);
        Duration delay = retryAfter != null ? retryAfter : core.backoff().delay(failedAttempts);
        Outbound.cancel(reconnectTimer);
        reconnectTimer = timers.schedule(delay, () -> thread.post(() -> {
            reconnectTimer = null;
            connect(false);
        }));
    }

    private int reconnectBudget() {
        if (options.maxReconnectAttempts() != ClientOptions.FROM_SESSION) {
            return options.maxReconnectAttempts();
        }
        return in.maxReconnectAttempts();
    }

    /** The conversation is live again: the next failure starts a fresh budget. */
    void succeeded() {
        failedAttempts = 0;
    }

    /** The conversation is over: no more reconnects or renewals. */
    void stop() {
        Outbound.cancel(reconnectTimer);
        tokens.stop();
    }
}
