package dev.parley.bench.load;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Opens the sockets a phase needs, in one of three states. Against the raw echo every state is just
 * a connected socket (it has no agent).
 * <ul>
 *   <li>{@link Mode#IDLE}: connected, history received, nothing sent;</li>
 *   <li>{@link Mode#JOINED}: the agent joined and greeted; every user message gets an agent reply;</li>
 *   <li>{@link Mode#QUEUED}: joined, then handed off to the desk's queue ("talk to a human"): user
 *       messages are journaled and echoed and nobody answers them. This is the "pure echo" path: a
 *       user message before the join is refused with "Conversation not found" (§13.7) and every flow
 *       intent that answers must reply, so waiting in the queue is the only state where Parley stores
 *       and echoes a message without an agent turn.</li>
 * </ul>
 */
final class Sessions {
    enum Mode { IDLE, JOINED, QUEUED }

    record Opened(List<BenchSocket> sockets, List<String> failures) {
    }

    private Sessions() {
    }

    static List<Endpoint.Credentials> create(Endpoint endpoint, int count, boolean streaming, List<String> failures) {
        List<Endpoint.Credentials> out = new ArrayList<>();
        for (Object o : runAll(count, 32, i -> endpoint.createSession(streaming), failures, 120)) {
            out.add((Endpoint.Credentials) o);
        }
        return out;
    }

    static Opened open(Endpoint endpoint, int count, Mode mode, boolean streaming) {
        List<String> failures = new ArrayList<>();
        List<Endpoint.Credentials> credentials = create(endpoint, count, streaming, failures);
        List<BenchSocket> sockets = new ArrayList<>();
        for (Object o : runAll(credentials.size(), 32, i -> endpoint.connect(i, credentials.get(i), 0)
                .compose(socket -> prepare(endpoint, socket, mode).map(socket)), failures, 180)) {
            sockets.add((BenchSocket) o);
        }
        return new Opened(sockets, failures);
    }

    /** Runs on the socket's event loop (it is called from the connect future). */
    static Future<Void> prepare(Endpoint endpoint, BenchSocket socket, Mode mode) {
        if (!endpoint.parley || mode == Mode.IDLE) {
            return Future.succeededFuture();
        }
        Future<String> greeted = socket.await(Frames::isCompleteAgentMessage, 30_000);
        socket.send(Frames.JOIN);
        if (mode == Mode.JOINED) {
            return greeted.mapEmpty();
        }
        return greeted.compose(g -> {
            Future<String> queued = socket.await(f -> Frames.is(f, "EVENT_TYPE_HANDOFF_QUEUE_STATUS")
                    || Frames.is(f, "EVENT_TYPE_HANDOFF_FAILED"), 30_000);
            socket.send(Frames.userMessage("I want to talk to a human", "handoff-" + socket.index));
            return queued;
        }).compose(f -> Frames.is(f, "EVENT_TYPE_HANDOFF_FAILED")
                ? Future.failedFuture("handoff failed") : Future.succeededFuture());
    }

    /**
     * Runs {@code count} tasks, at most {@code parallel} at once, and returns the results of those
     * that succeeded; each failure's message goes to {@code failures}. Gives up after {@code timeoutS}.
     */
    static List<Object> runAll(int count, int parallel, IntFunction<Future<?>> task, List<String> failures, int timeoutS) {
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (count == 0) {
            all.complete(null);
        }
        Runnable[] starter = new Runnable[1];
        starter[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= count) {
                return;
            }
            task.apply(i).onComplete(r -> {
                if (r.succeeded()) {
                    results.add(r.result());
                } else {
                    errors.add(String.valueOf(r.cause().getMessage()));
                }
                if (done.incrementAndGet() == count) {
                    all.complete(null);
                } else {
                    starter[0].run();
                }
            });
        };
        for (int i = 0; i < Math.min(parallel, count); i++) {
            starter[0].run();
        }
        try {
            all.get(timeoutS, TimeUnit.SECONDS);
        } catch (Exception e) {
            errors.add("gave up after " + timeoutS + " s with " + (count - done.get()) + " unfinished");
        }
        failures.addAll(errors);
        return new ArrayList<>(results);
    }

    static void closeAll(List<BenchSocket> sockets) {
        sockets.forEach(BenchSocket::close);
    }
}
