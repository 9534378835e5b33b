package dev.parley.client.internal;

import dev.parley.client.Timers;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * The conversation's current socket and everything written to it: an ordered queue pumped one frame
 * at a time (the JDK socket takes one send at a time) and the heartbeats (PROTOCOL.md §3.5). Each
 * socket attempt and each drop bumps the <em>generation</em>; callbacks tagged with an older one
 * belong to a replaced socket and are ignored. Conversation thread only, except the test hook.
 */
final class Outbound {
    private final RealConversation conversation;
    private final ConversationThread thread;
    private final Timers timers;
    /** Seconds between heartbeats, read at every beat (it comes from the session's capabilities). */
    private final IntSupplier heartbeatSeconds;

    // Conversation thread only.
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private WebSocket socket;
    /** Bumped for every socket attempt and every drop; callbacks of older sockets are ignored. */
    private int generation;
    private boolean writing;
    private Timers.Cancellable heartbeatTimer;

    /** Test hook, any thread: drop the socket as soon as the next user message is written. */
    private volatile boolean abortAfterNextMessage;

    Outbound(RealConversation conversation, ConversationThread thread, Timers timers, IntSupplier heartbeatSeconds) {
        this.conversation = conversation;
        this.thread = thread;
        this.timers = timers;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    /** A new socket attempt: its generation. */
    int nextGeneration() {
        return ++generation;
    }

    int generation() {
        return generation;
    }

    boolean isCurrent(int gen) {
        return gen == generation;
    }

    boolean hasSocket() {
        return socket != null;
    }

    /** The socket of the current attempt is open: frames queued meanwhile go out now. */
    void attach(WebSocket ws) {
        socket = ws;
        pump();
    }

    /** Queues a frame; frames go out strictly in order. */
    void write(String frame) {
        queue.add(frame);
        pump();
    }

    private void pump() {
        if (writing || socket == null || queue.isEmpty()) {
            return;
        }
        String frame = queue.poll();
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
                thread.post(() -> conversation.gone(gen, "aborted after a send (test hook)", null));
            });
        }
        sent.whenCompleteAsync((w, error) -> {
            if (gen != generation) {
                return;
            }
            writing = false;
            if (error != null) {
                conversation.gone(gen, "send failed", error);
            } else {
                pump();
            }
        }, thread);
    }

    /** Beats every capabilities' interval for as long as socket {@code gen} is the current one. */
    void startHeartbeats(int gen) {
        cancel(heartbeatTimer);
        heartbeatTimer = timers.schedule(Duration.ofSeconds(heartbeatSeconds.getAsInt()), () -> thread.post(() -> {
            if (!conversation.isFinished() && gen == generation) {
                write(ClientFrames.heartbeat());
                startHeartbeats(gen);
            }
        }));
    }

    /** Forgets the socket (aborting it), the unsent frames and the heartbeats; a new generation begins. */
    void drop() {
        generation++;
        if (socket != null) {
            socket.abort();
            socket = null;
        }
        queue.clear();
        writing = false;
        cancel(heartbeatTimer);
        heartbeatTimer = null;
    }

    /** Like {@link #drop()}, but closes the socket with a close handshake (aborting it once done). */
    void closeGracefully() {
        WebSocket ws = socket;
        socket = null;
        drop();
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((w, e) -> ws.abort());
            } catch (RuntimeException e) {
                ws.abort();
            }
        }
    }

    /** Test hook: aborts the current socket, as a network failure would; false if there is none. */
    boolean abortCurrent() {
        if (socket == null) {
            return false;
        }
        socket.abort();
        return true;
    }

    /** Test hook, any thread. */
    void abortAfterNextMessage() {
        abortAfterNextMessage = true;
    }

    static void cancel(Timers.Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
