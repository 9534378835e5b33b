package dev.parley.client.internal;

import dev.parley.client.ClientOptions;
import dev.parley.client.ConnectionState;
import dev.parley.client.Conversation;
import dev.parley.client.ConversationListener;
import dev.parley.client.ConversationLostException;
import dev.parley.client.DeliveryStatus;
import dev.parley.client.OutgoingMessage;
import dev.parley.client.Timers;
import dev.parley.protocol.Capabilities;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.SystemLevel;
import dev.parley.protocol.codec.ServerEventDecoder;
import dev.parley.protocol.codec.ServerFrame;
import dev.parley.protocol.payload.PolyAgentJoined;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SessionEnd;
import dev.parley.protocol.payload.SessionStart;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.protocol.payload.UserMessageEcho;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation engine. Everything it owns is confined to one thread, its delivery thread
 * {@code parley-client-conversation-N}: public methods, socket callbacks and timer callbacks only
 * enqueue tasks there, so there are no locks and the listener is never called under one. The
 * thread ends when the conversation reaches {@link ConnectionState#CLOSED}.
 *
 * <p>Connection path, one step per callback: access token (§2.1) → session (§2.2) → socket with
 * {@code cursor} = last delivered sequence (§3.1) → first replay batch → join if the agent never
 * joined (§3.4) → resend unconfirmed messages → heartbeats (§3.5). A drop goes back to the socket
 * step after a back-off (§3.6).
 */
public final class RealConversation implements Conversation {
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final int MAX_HELD_EVENTS = 1_000;
    private static final int ID_WINDOW = 1_024;

    private final ClientCore core;
    private final ClientOptions options;
    private final Timers timers;
    private final ConversationListener listener;
    private final ExecutorService thread;
    /** Enqueues on the conversation thread, dropping work once it has stopped. */
    private final Executor inbox = this::post;
    private final RestCalls rest;
    /** True for {@code resume} with a cursor: the replay cannot tell whether the agent joined. */
    private final boolean joinStatusUnknown;

    // Read from any thread, written on the conversation thread.
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile String sessionId;
    private volatile long lastSequence;
    /** Set once by the delivery thread itself, read anywhere: lets close() avoid waiting on itself. */
    private volatile Thread deliveryThread;
    /** Test hook, any thread: drop the socket as soon as the next user message is written. */
    private volatile boolean abortAfterNextMessage;

    // Conversation thread only.
    private final EventSequencer sequencer;
    private final TypedDispatch typed;
    private final Receipts receipts;
    private final ArrayDeque<String> outbound = new ArrayDeque<>();
    private AccessToken token;
    private Capabilities capabilities;
    private WebSocket socket;
    /** Bumped for every socket attempt and every drop; callbacks of older sockets are ignored. */
    private int generation;
    private boolean replayDone;
    private boolean writing;
    private boolean agentJoined;
    private boolean endRequested;
    private boolean finished;
    private int failedAttempts;
    private Timers.Cancellable heartbeatTimer;
    private Timers.Cancellable reconnectTimer;
    private Timers.Cancellable renewalTimer;

    public RealConversation(ClientCore core, ConversationListener listener, String sessionId, long cursor) {
        this.core = core;
        this.options = core.options();
        this.timers = core.timers();
        this.listener = listener;
        this.sessionId = sessionId;
        this.lastSequence = cursor;
        this.joinStatusUnknown = sessionId != null && cursor > 0;
        this.thread = Executors.newSingleThreadExecutor(new NamedThreads("parley-client-conversation-" + COUNT.incrementAndGet()));
        this.rest = new RestCalls(core::http, options);
        this.sequencer = new EventSequencer(cursor, MAX_HELD_EVENTS, ID_WINDOW);
        this.typed = new TypedDispatch(this, listener);
        this.receipts = new Receipts(new Wire(), timers, options);
    }

    /** Starts connecting; called once, right after construction. */
    public void begin() {
        core.register(this);
        post(() -> deliveryThread = Thread.currentThread());
        post(() -> {
            tell(l -> l.onStateChanged(this, ConnectionState.CONNECTING));
            connect(false);
        });
    }

    // ---- public API: any thread ---------------------------------------------------------------

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public OutgoingMessage send(String text) {
        RealOutgoingMessage message = new RealOutgoingMessage(text == null ? "" : text);
        boolean queued = post(() -> {
            if (finished) {
                message.markFailed();
                message.publishOutcome();
            } else {
                receipts.add(message);
            }
        });
        if (!queued) {
            message.markFailed();
            message.publishOutcome();
        }
        return message;
    }

    @Override
    public void typing(boolean typing) {
        post(() -> {
            if (connected()) {
                write(ClientFrames.typing(typing));
            }
        });
    }

    @Override
    public void end() {
        post(() -> {
            if (connected()) {
                write(ClientFrames.endSession());
            } else {
                endRequested = true;
            }
        });
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public void close() {
        post(this::finish);
    }

    /** Closes and waits for the delivery thread to end, unless called from that very thread. */
    void closeAndAwait(Duration timeout) {
        close();
        if (Thread.currentThread() == deliveryThread) {
            return; // called from a listener: the thread ends once this callback returns
        }
        try {
            if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("conversation {} did not close within {}", sessionId, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Simulates a network failure: drops the current socket without a close handshake. */
    public void abortSocket() {
        post(() -> {
            if (socket != null) {
                socket.abort();
                gone(generation, "aborted", null);
            }
        });
    }

    /** Test hook: drops the socket right after the next user message is written, before its echo. */
    public void abortAfterNextMessage() {
        abortAfterNextMessage = true;
    }

    // ---- connecting -----------------------------------------------------------------------------

    /** Token, then session, then socket; each step continues on the conversation thread. */
    private void connect(boolean tokenJustFetched) {
        if (finished) {
            return;
        }
        if (core.http() == null) {
            finish();
            return;
        }
        if (!tokenJustFetched && !tokenFresh()) {
            rest.accessToken().whenCompleteAsync((fresh, error) -> {
                if (!finished) {
                    if (error != null) {
                        connectFailed(error);
                    } else {
                        useToken(fresh);
                        connect(true);
                    }
                }
            }, inbox);
            return;
        }
        if (sessionId == null) {
            rest.createSession(token).whenCompleteAsync((id, error) -> {
                if (!finished) {
                    if (error != null) {
                        connectFailed(error);
                    } else {
                        sessionId = id;
                        connect(true);
                    }
                }
            }, inbox);
            return;
        }
        openSocket();
    }

    private boolean tokenFresh() {
        return token != null && options.clock().instant().isBefore(token.expiresAt().minus(options.tokenRenewalMargin()));
    }

    /** Keeps the token and schedules its renewal ahead of expiry, for later reconnects. */
    private void useToken(AccessToken fresh) {
        token = fresh;
        cancel(renewalTimer);
        Duration lifetime = Duration.between(options.clock().instant(), fresh.expiresAt());
        Duration delay = lifetime.minus(options.tokenRenewalMargin());
        if (delay.isNegative() || delay.isZero()) {
            delay = lifetime.dividedBy(2); // a margin longer than the lifetime: renew half way
        }
        renewalTimer = timers.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> post(this::renewToken));
    }

    private void renewToken() {
        renewalTimer = null;
        if (finished || core.http() == null) {
            return;
        }
        rest.accessToken().whenCompleteAsync((fresh, error) -> {
            if (finished) {
                return;
            }
            if (error != null) {
                LOG.debug("token renewal failed; the next reconnect fetches one", error);
            } else {
                useToken(fresh);
            }
        }, inbox);
    }

    private void openSocket() {
        HttpClient http = core.http();
        if (http == null) {
            finish();
            return;
        }
        int gen = ++generation;
        replayDone = false;
        http.newWebSocketBuilder()
                .connectTimeout(options.connectTimeout())
                .buildAsync(socketUri(), new SocketListener(gen, new Sink()))
                .whenCompleteAsync((ws, error) -> opened(gen, ws, error), inbox);
    }

    private URI socketUri() {
        String base = options.baseUrl().toString().replaceFirst("^http", "ws");
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/ws?session_id=" + enc(sessionId) + "&access_token=" + enc(token.value())
                + "&cursor=" + sequencer.delivered());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void opened(int gen, WebSocket ws, Throwable error) {
        if (finished || gen != generation) {
            if (ws != null) {
                ws.abort();
            }
            return;
        }
        if (error != null) {
            connectFailed(error);
        } else if (socket == null) {
            socket = ws; // from the listener's onOpen, which comes before the socket's first frame
            pump();
        }
    }

    /** A REST call or handshake failed: final for 4xx except 429, otherwise try again later. */
    private void connectFailed(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof WebSocketHandshakeException h) {
            cause = new HttpRefusal("WebSocket handshake", h.getResponse().statusCode(),
                    HttpRefusal.retryAfter(h.getResponse().headers()), String.valueOf(h.getResponse().body()));
        }
        if (cause instanceof HttpRefusal refusal) {
            if (refusal.isFinal()) {
                fail(new ConversationLostException(refusal.getMessage(), refusal.status, refusal));
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

    private void scheduleReconnect(Duration retryAfter) {
        failedAttempts++;
        int budget = reconnectBudget();
        if (budget != ClientOptions.UNLIMITED && failedAttempts > budget) {
            fail(new ConversationLostException("gave up after " + budget + " reconnect attempts", -1, null));
            return;
        }
        setState(sessionId == null ? ConnectionState.CONNECTING : ConnectionState.RECONNECTING);
        Duration delay = retryAfter != null ? retryAfter : core.backoff().delay(failedAttempts);
        cancel(reconnectTimer);
        reconnectTimer = timers.schedule(delay, () -> post(() -> {
            reconnectTimer = null;
            connect(false);
        }));
    }

    private int reconnectBudget() {
        if (options.maxReconnectAttempts() != ClientOptions.FROM_SESSION) {
            return options.maxReconnectAttempts();
        }
        return capabilities != null ? capabilities.maxReconnectAttempts() : Limits.DEFAULT_MAX_RECONNECT_ATTEMPTS;
    }

    // ---- socket callbacks (enqueued by SocketListener) ------------------------------------------

    /** Moves socket callbacks from the HTTP client's threads onto the conversation thread. */
    private final class Sink implements SocketListener.Sink {
        @Override
        public void onOpen(int gen, WebSocket ws) {
            post(() -> opened(gen, ws, null));
        }

        @Override
        public void onFrame(int gen, String frame) {
            post(() -> frame(gen, frame));
        }

        @Override
        public void onGone(int gen, String why, Throwable error) {
            post(() -> gone(gen, why, error));
        }
    }

    private void frame(int gen, String text) {
        if (finished || gen != generation) {
            return;
        }
        ServerFrame frame = ServerEventDecoder.decode(text).orElse(null);
        if (frame == null) {
            LOG.debug("ignoring an unreadable frame");
            return;
        }
        if (frame instanceof ServerFrame.Single single) {
            accept(single.event());
            return;
        }
        for (ServerEvent event : ((ServerFrame.Batch) frame).events()) {
            accept(event);
            if (finished) {
                return;
            }
        }
        if (!replayDone) {
            replayDone = true;
            connected(gen);
        }
    }

    /** The first replay batch of this socket is in: the conversation is live again. */
    private void connected(int gen) {
        failedAttempts = 0;
        setState(ConnectionState.CONNECTED);
        if (finished || gen != generation) {
            return; // the listener closed it
        }
        if (!agentJoined && !joinStatusUnknown) {
            write(ClientFrames.join()); // §3.4: new session, or the agent never joined
        }
        if (endRequested) {
            write(ClientFrames.endSession());
        }
        receipts.retransmitAll();
        scheduleHeartbeat(gen);
    }

    private void gone(int gen, String why, Throwable error) {
        if (finished || gen != generation) {
            return;
        }
        LOG.debug("socket of session {} gone: {}", sessionId, why, error);
        dropSocket();
        receipts.pauseAll();
        scheduleReconnect(null);
    }

    private void dropSocket() {
        generation++;
        if (socket != null) {
            socket.abort();
            socket = null;
        }
        outbound.clear();
        writing = false;
        replayDone = false;
        cancel(heartbeatTimer);
        heartbeatTimer = null;
    }

    // ---- inbound ----------------------------------------------------------------------------------

    private void accept(ServerEvent event) {
        for (ServerEvent ready : sequencer.accept(event)) {
            deliver(ready);
            if (finished) {
                return;
            }
        }
    }

    private void deliver(ServerEvent event) {
        ServerPayload payload = event.payload();
        if (payload instanceof SessionStart start) {
            capabilities = start.capabilities();
        } else if (payload instanceof PolyAgentJoined) {
            agentJoined = true;
        }
        if (!event.isTransient()) {
            lastSequence = event.sequence();
        }
        tell(l -> l.onEvent(this, event));
        tell(l -> typed.dispatch(event));
        if (payload instanceof UserMessageEcho echo) {
            receipts.confirmed(ClientFrames.clientEventId(event.metadata()), echo.messageId());
        } else if (payload instanceof SystemMessage system && system.level() == SystemLevel.SYSTEM_MESSAGE_LEVEL_ERROR) {
            answerError(system, ClientFrames.clientEventId(event.metadata()));
        } else if (payload instanceof SessionEnd) {
            finish(); // §3.7: nothing follows; close the socket
        }
    }

    /** An error about one of our messages: §11.3's remedy when there is one, else the message fails. */
    private void answerError(SystemMessage error, String clientEventId) {
        if (clientEventId == null) {
            return;
        }
        if (ErrorMessages.CONVERSATION_NOT_FOUND.equals(error.message())) {
            write(ClientFrames.join());
            receipts.resendNow(clientEventId);
        } else {
            receipts.refused(clientEventId);
        }
    }

    // ---- outbound ---------------------------------------------------------------------------------

    private boolean connected() {
        return socket != null && replayDone && !finished;
    }

    /** Queues a frame; the JDK socket takes one send at a time, so they go out strictly in order. */
    private void write(String frame) {
        outbound.add(frame);
        pump();
    }

    private void pump() {
        if (writing || socket == null || outbound.isEmpty()) {
            return;
        }
        String frame = outbound.poll();
        WebSocket ws = socket;
        int gen = generation;
        writing = true;
        CompletableFuture<WebSocket> sent;
        try {
            sent = ws.sendText(frame, true);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        if (abortAfterNextMessage && frame.contains("\"EVENT_TYPE_USER_MESSAGE\"")) {
            abortAfterNextMessage = false;
            sent.whenComplete((w, e) -> {
                ws.abort();
                post(() -> gone(gen, "aborted after a send (test hook)", null));
            });
        }
        sent.whenCompleteAsync((w, error) -> {
            if (gen != generation) {
                return;
            }
            writing = false;
            if (error != null) {
                gone(gen, "send failed", error);
            } else {
                pump();
            }
        }, inbox);
    }

    private void scheduleHeartbeat(int gen) {
        cancel(heartbeatTimer);
        int seconds = capabilities != null && capabilities.heartbeatIntervalSeconds() > 0
                ? capabilities.heartbeatIntervalSeconds()
                : Limits.DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
        heartbeatTimer = timers.schedule(Duration.ofSeconds(seconds), () -> post(() -> {
            if (!finished && gen == generation) {
                write(ClientFrames.heartbeat());
                scheduleHeartbeat(gen);
            }
        }));
    }

    // ---- the end ----------------------------------------------------------------------------------

    private void fail(ConversationLostException error) {
        tell(l -> l.onFailure(this, error));
        finish();
    }

    /** The one way out: cancel timers, fail what is pending, close the socket, stop the thread. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        cancel(reconnectTimer);
        cancel(renewalTimer);
        WebSocket ws = socket;
        socket = null;
        dropSocket();
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((w, e) -> ws.abort());
            } catch (RuntimeException e) {
                ws.abort();
            }
        }
        receipts.failAll();
        setState(ConnectionState.CLOSED);
        core.unregister(this);
        thread.shutdown();
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    /** Runs {@code task} on the conversation thread; false once that thread has stopped. */
    private boolean post(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("conversation task failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** What {@link Receipts} may do to the conversation; all on the conversation thread. */
    private final class Wire implements Receipts.Wire {
        @Override
        public boolean connected() {
            return RealConversation.this.connected();
        }

        @Override
        public void write(String frame) {
            RealConversation.this.write(frame);
        }

        @Override
        public void post(Runnable task) {
            RealConversation.this.post(task);
        }

        @Override
        public void statusChanged(RealOutgoingMessage message, DeliveryStatus status) {
            tell(l -> l.onDeliveryStatus(RealConversation.this, message, status));
        }
    }

    private void setState(ConnectionState next) {
        if (state != next) {
            state = next;
            tell(l -> l.onStateChanged(this, next));
        }
    }

    /** Calls the listener; its exceptions are logged, never allowed to break the conversation. */
    private void tell(Consumer<ConversationListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("conversation listener threw", e);
        }
    }

    private static void cancel(Timers.Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    @Override
    public String toString() {
        return "Conversation[" + sessionId + " " + state + " at " + lastSequence + "]";
    }
}
