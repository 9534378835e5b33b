package dev.parley.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One generator socket. Every handler runs on the socket's own event loop ({@link #context}), and
 * so do the phases' per-socket fields; only {@link #closed} is read from the main thread.
 */
final class BenchSocket {
    /** {@code -Dbench.trace=true} prints every frame received (for debugging the generator). */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");
    final int index;
    final Context context;
    final WebSocket ws;
    /** "1008 slow consumer: outbox full" once closed; written on the event loop, read anywhere. */
    volatile String closed;
    /** Highest stored sequence seen; event loop only. */
    long lastSequence;
    private Consumer<String> listener = frame -> { };
    private Predicate<String> awaited;
    private Promise<String> waiter;

    BenchSocket(int index, Context context, WebSocket ws) {
        this.index = index;
        this.context = context;
        this.ws = ws;
        ws.textMessageHandler(this::onFrame);
        ws.closeHandler(v -> onClose(ws.closeStatusCode() + " " + ws.closeReason()));
        ws.exceptionHandler(e -> { });
    }

    /** Frames from now on go to {@code listener} (event loop only). */
    void listen(Consumer<String> listener) {
        this.listener = listener;
    }

    /** The next frame that matches, failing on timeout or close. Called on the event loop. */
    Future<String> await(Predicate<String> match, long timeoutMs) {
        if (closed != null) {
            return Future.failedFuture("closed " + closed);
        }
        Promise<String> promise = Promise.promise();
        awaited = match;
        waiter = promise;
        return promise.future().timeout(timeoutMs, TimeUnit.MILLISECONDS);
    }

    void send(String frame) {
        if (TRACE) {
            System.err.println("> " + index + " " + frame);
        }
        if (closed == null) {
            ws.writeTextMessage(frame);
        }
    }

    void close() {
        context.runOnContext(v -> {
            if (closed == null) {
                ws.close();
            }
        });
    }

    private void onFrame(String frame) {
        if (TRACE) {
            System.err.println("< " + index + " " + (frame.length() > 300 ? frame.substring(0, 300) + "..." : frame));
        }
        long sequence = Frames.is(frame, "EVENT_TYPE_EVENT_BATCH") ? Frames.lastSequence(frame) : -1;
        if (sequence > lastSequence) {
            lastSequence = sequence;
        }
        if (waiter != null && awaited.test(frame)) {
            Promise<String> p = waiter;
            waiter = null;
            p.tryComplete(frame);
        }
        listener.accept(frame);
    }

    private void onClose(String how) {
        if (closed == null) {
            closed = how;
        }
        if (waiter != null) {
            waiter.tryFail("closed " + how);
            waiter = null;
        }
    }
}
