package dev.parley.client.internal;

import dev.parley.client.ClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Gets the conversation a socket, one step per callback: access token (§2.1) → session (§2.2) →
 * socket with {@code cursor} = last delivered sequence (§3.1). {@link AccessTokens} keeps the token
 * renewed ahead of expiry for later reconnects; {@link Reconnects} decides, after a failure or a
 * drop, whether and when to start over (§3.6). Conversation thread only, except the token-expiry
 * test hook.
 */
final class Connector {
    private final RealConversation conversation;
    private final ClientCore core;
    private final ClientOptions options;
    private final ConversationThread thread;
    private final RestCalls rest;
    private final Outbound out;
    private final Inbound in;
    private final AccessTokens tokens;
    private final Reconnects reconnects;

    Connector(RealConversation conversation, ClientCore core, ConversationThread thread, Outbound out, Inbound in) {
        this.conversation = conversation;
        this.core = core;
        this.options = core.options();
        this.thread = thread;
        this.rest = new RestCalls(core::http, options);
        this.out = out;
        this.in = in;
        this.tokens = new AccessTokens(core, thread, rest, conversation::isFinished);
        this.reconnects = new Reconnects(conversation, core, thread, in, () -> connect(false));
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
                        reconnects.failed(error);
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
                        reconnects.failed(error);
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
            reconnects.failed(error);
        } else if (!out.hasSocket()) {
            out.attach(ws); // from the listener's onOpen, which comes before the socket's first frame
        }
    }

    /** Tries again after {@code retryAfter}, or the back-off when {@code null}, unless the budget is spent. */
    void scheduleReconnect(Duration retryAfter) {
        reconnects.schedule(retryAfter);
    }

    /** The conversation is live again: the next failure starts a fresh budget. */
    void succeeded() {
        reconnects.succeeded();
    }

    /** The conversation is over: no more reconnects or renewals. */
    void stop() {
        reconnects.stop();
        tokens.stop();
    }
}
