package dev.parley.client.internal;

import dev.parley.client.ConnectionState;
import dev.parley.client.Conversation;
import dev.parley.client.ConversationListener;
import dev.parley.client.ConversationLostException;
import dev.parley.client.DeliveryStatus;
import dev.parley.client.OutgoingMessage;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation: its public face, its lifecycle and the wiring of its parts. Everything it owns
 * is confined to one {@link ConversationThread}: public methods, socket callbacks and timer
 * callbacks only enqueue tasks there, so there are no locks and the listener is never called under
 * one. The thread ends when the conversation reaches {@link ConnectionState#CLOSED}.
 *
 * <p>The parts, each confined to that thread: {@link Connector} gets a socket (token → session →
 * socket, back-off, token renewal); {@link Inbound} reads it (order, dedup, dispatch);
 * {@link Outbound} writes to it (ordered queue, heartbeats); {@link Receipts} tracks our messages.
 * Once the first replay batch is in, {@link #connected} joins the agent if it never joined (§3.4),
 * resends unconfirmed messages and starts heartbeats (§3.5); a drop goes back to the socket step
 * after a back-off (§3.6).
 */
public final class RealConversation implements Conversation {
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);

    private final ClientCore core;
    private final ConversationListener listener;
    private final ConversationThread thread = new ConversationThread();
    /** True for {@code resume} with a cursor: the replay cannot tell whether the agent joined. */
    private final boolean joinStatusUnknown;

    // Read from any thread, written on the conversation thread.
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile String sessionId;
    private volatile long lastSequence;

    // Conversation thread only (the parts included).
    private final Receipts receipts;
    private final Outbound out;
    private final Inbound in;
    private final Connector connector;
    private boolean endRequested;
    private boolean finished;

    public RealConversation(ClientCore core, ConversationListener listener, String sessionId, long cursor) {
        this.core = core;
        this.listener = listener;
        this.sessionId = sessionId;
        this.lastSequence = cursor;
        this.joinStatusUnknown = sessionId != null && cursor > 0;
        this.receipts = new Receipts(new ReceiptsWire(), core.timers(), core.options());
        this.out = new Outbound(this, thread, core.timers(), this::heartbeatSeconds);
        this.in = new Inbound(this, out, receipts, new TypedDispatch(this, listener), cursor);
        this.connector = new Connector(this, core, thread, out, in);
    }

    /** Starts connecting; called once, right after construction. */
    public void begin() {
        core.register(this);
        thread.begin();
        thread.post(() -> {
            tell(l -> l.onStateChanged(this, ConnectionState.CONNECTING));
            connector.connect(false);
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
        boolean queued = thread.post(() -> {
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
        thread.post(() -> {
            if (isLive()) {
                out.write(ClientFrames.typing(typing));
            }
        });
    }

    @Override
    public void end() {
        thread.post(() -> {
            if (isLive()) {
                out.write(ClientFrames.endSession());
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
        thread.post(this::finish);
    }

    /** Closes and waits for the delivery thread to end, unless called from that very thread. */
    void closeAndAwait(Duration timeout) {
        close();
        if (thread.isCurrent()) {
            return; // called from a listener: the thread ends once this callback returns
        }
        try {
            if (!thread.awaitEnd(timeout)) {
                LOG.warn("conversation {} did not close within {}", sessionId, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- test hooks: any thread -----------------------------------------------------------------

    /** Simulates a network failure: drops the current socket without a close handshake. */
    public void abortSocket() {
        thread.post(() -> {
            if (out.abortCurrent()) {
                gone(out.generation(), "aborted", null);
            }
        });
    }

    /** Test hook: drops the socket right after the next user message is written, before its echo. */
    public void abortAfterNextMessage() {
        out.abortAfterNextMessage();
    }

    /** Test hook: when the access token the SDK holds expires; {@code null} before the first. */
    public Instant accessTokenExpiresAt() {
        return connector.tokenExpiresAt();
    }

    // ---- lifecycle: conversation thread -----------------------------------------------------------

    boolean isFinished() {
        return finished;
    }

    /** A socket is open, its replay is in, and the conversation is not over: frames may go out. */
    private boolean isLive() {
        return out.hasSocket() && in.replayDone() && !finished;
    }

    /** Read by {@link Outbound} at every beat; the capabilities arrive after it is built. */
    private int heartbeatSeconds() {
        return in.heartbeatSeconds();
    }

    void sessionCreated(String id) {
        sessionId = id;
    }

    void advanceCursor(long sequence) {
        lastSequence = sequence;
    }

    /** The first replay batch of socket {@code gen} is in: the conversation is live again. */
    void connected(int gen) {
        connector.succeeded();
        setState(ConnectionState.CONNECTED);
        if (finished || !out.isCurrent(gen)) {
            return; // the listener closed it
        }
        if (!in.agentJoined() && !joinStatusUnknown) {
            out.write(ClientFrames.join()); // §3.4: new session, or the agent never joined
        }
        if (endRequested) {
            out.write(ClientFrames.endSession());
        }
        receipts.retransmitAll();
        out.startHeartbeats(gen);
    }

    /** Socket {@code gen} closed, failed or was aborted: pause receipts and reconnect later. */
    void gone(int gen, String why, Throwable error) {
        if (finished || !out.isCurrent(gen)) {
            return;
        }
        LOG.debug("socket of session {} gone: {}", sessionId, why, error);
        dropSocket();
        receipts.pauseAll();
        connector.scheduleReconnect(null);
    }

    private void dropSocket() {
        out.drop();
        in.resetReplay();
    }

    void fail(ConversationLostException error) {
        tell(l -> l.onFailure(this, error));
        finish();
    }

    /** The one way out: cancel timers, fail what is pending, close the socket, stop the thread. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        connector.stop();
        WebSocket ws = out.detach();
        in.resetReplay();
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

    void setState(ConnectionState next) {
        if (state != next) {
            state = next;
            tell(l -> l.onStateChanged(this, next));
        }
    }

    /** Calls the listener; its exceptions are logged, never allowed to break the conversation. */
    void tell(Consumer<ConversationListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("conversation listener threw", e);
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    /** Moves socket callbacks from the HTTP client's threads onto the conversation thread. */
    SocketListener.Sink socketSink() {
        return new SocketListener.Sink() {
            @Override
            public void onOpen(int gen, WebSocket ws) {
                thread.post(() -> connector.opened(gen, ws, null));
            }

            @Override
            public void onFrame(int gen, String frame) {
                thread.post(() -> in.frame(gen, frame));
            }

            @Override
            public void onGone(int gen, String why, Throwable error) {
                thread.post(() -> gone(gen, why, error));
            }
        };
    }

    /** What {@link Receipts} may do to the conversation; all on the conversation thread. */
    private final class ReceiptsWire implements Receipts.Wire {
        @Override
        public boolean connected() {
            return isLive();
        }

        @Override
        public void write(String frame) {
            out.write(frame);
        }

        @Override
        public void post(Runnable task) {
            thread.post(task);
        }

        @Override
        public void statusChanged(RealOutgoingMessage message, DeliveryStatus status) {
            tell(l -> l.onDeliveryStatus(RealConversation.this, message, status));
        }
    }

    @Override
    public String toString() {
        return "Conversation[" + sessionId + " " + state + " at " + lastSequence + "]";
    }
}
