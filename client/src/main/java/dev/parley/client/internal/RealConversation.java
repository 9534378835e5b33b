package dev.parley.client.internal;

import dev.parley.client.ConnectionState;
import dev.parley.client.Conversation;
import dev.parley.client.ConversationListener;
import dev.parley.client.ConversationLostException;
import dev.parley.client.OutgoingMessage;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation: its public face, its lifecycle and the wiring of its parts. Everything it owns
 * is confined to one {@link ConversationThread}: public methods, socket callbacks and timer
 * callbacks only enqueue tasks there, so there are no locks and the listener is never called under
 * one. The thread ends when the conversation reaches {@link ConnectionState#CLOSED}.
 *
 * <p>The parts, each confined to that thread: {@link Connector} gets a socket (token → session →
 * socket), with {@link AccessTokens} renewing the token and {@link Reconnects} deciding when to try
 * again; {@link Inbound} reads the socket (order, dedup, dispatch); {@link Outbound} owns and writes
 * to it (ordered queue, heartbeats, close); {@link Receipts} tracks our messages through
 * {@link ReceiptsWire}; {@link ListenerCalls} calls the listener. {@link SocketHop} is the one piece
 * called on other threads: it only moves socket callbacks onto the conversation thread.
 *
 * <p>Once the first replay batch is in, {@link #connected} joins the agent if it never joined
 * (§3.4), resends unconfirmed messages and starts heartbeats (§3.5); a drop goes back to the socket
 * step after a back-off (§3.6).
 */
public final class RealConversation implements Conversation {
    private static final Logger LOG = LoggerFactory.getLogger(RealConversation.class);

    private final ClientCore core;
    private final ListenerCalls listeners;
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
        this.listeners = new ListenerCalls(this, listener);
        this.sessionId = sessionId;
        this.lastSequence = cursor;
        this.joinStatusUnknown = sessionId != null && cursor > 0;
        this.out = new Outbound(this, thread, core.timers(), this::heartbeatSeconds);
        this.receipts = new Receipts(new ReceiptsWire(thread, out, this::isLive, listeners), core.timers(), core.options());
        this.in = new Inbound(this, out, receipts, listeners, new TypedDispatch(this, listener), cursor);
        this.connector = new Connector(this, core, thread, out, in);
    }

    /** Starts connecting; called once, right after construction. */
    public void begin() {
        core.register(this);
        thread.begin();
        thread.post(() -> {
            listeners.stateChanged(ConnectionState.CONNECTING);
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
        listeners.failure(error);
        finish();
    }

    /** The one way out: cancel timers, fail what is pending, close the socket, stop the thread. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        connector.stop();
        out.closeGracefully();
        in.resetReplay();
        receipts.failAll();
        setState(ConnectionState.CLOSED);
        core.unregister(this);
        thread.shutdown();
    }

    void setState(ConnectionState next) {
        if (state != next) {
            state = next;
            listeners.stateChanged(next);
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    /** Moves socket callbacks from the HTTP client's threads onto the conversation thread. */
    SocketListener.Sink socketSink() {
        return new SocketHop(thread, this, connector, in);
    }

    @Override
    public String toString() {
        return "Conversation[" + sessionId + " " + state + " at " + lastSequence + "]";
    }
}
