package dev.parley.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Replay from cursor 0. A session is started through the protocol (it waits in the desk queue, so
 * each user message stores exactly one event; 64 messages in flight), lengthened by {@link StoreFill},
 * then timed from the start of the WebSocket handshake to the batch that carries its last stored sequence.
 */
final class Replay {
    record Filled(Endpoint.Credentials credentials, long lastSequence, long fillMs, String problem) {
        Filled extendedTo(long sequence) {
            return new Filled(credentials, sequence, fillMs, problem);
        }
    }

    record Result(double ms, long received, String problem) {
    }

    private Replay() {
    }

    static Filled fill(Endpoint endpoint, int events, long timeoutMs) {
        List<String> failures = new ArrayList<>();
        List<Endpoint.Credentials> created = Sessions.create(endpoint, 1, false, failures);
        if (created.isEmpty()) {
            return new Filled(null, 0, 0, "session: " + failures);
        }
        Endpoint.Credentials credentials = created.get(0);
        long t0 = System.nanoTime();
        Promise<Long> done = Promise.promise();
        endpoint.connect(0, credentials, 0).onFailure(done::tryFail).onSuccess(socket -> {
            Sessions.prepare(endpoint, socket, Sessions.Mode.QUEUED).onFailure(done::tryFail).onSuccess(q -> {
                long[] counter = {0};
                long[] highest = {0};
                socket.listen(frame -> {
                    String id = Frames.clientEventId(frame);
                    if (id == null || !id.startsWith("r")) {
                        return;
                    }
                    if (!frame.contains("EVENT_TYPE_SYSTEM_MESSAGE")) {
                        highest[0] = Math.max(highest[0], Frames.lastSequence(frame));
                    }
                    if (highest[0] >= events) {
                        done.tryComplete(highest[0]);
                        socket.close();
                    } else if (counter[0] < 2L * events) {
                        socket.send(Frames.userMessage("replayed message", "r" + (counter[0]++)));
                    }
                });
                for (int i = 0; i < 64; i++) {
                    socket.send(Frames.userMessage("replayed message", "r" + (counter[0]++)));
                }
            });
        });
        try {
            long last = done.future().toCompletionStage().toCompletableFuture()
                    .get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            return new Filled(credentials, last, (System.nanoTime() - t0) / 1_000_000, null);
        } catch (Exception e) {
            return new Filled(null, 0, 0, "fill did not finish: " + e.getMessage());
        }
    }

    static Result measure(Endpoint endpoint, Filled filled, long timeoutMs) {
        if (filled.credentials() == null) {
            return new Result(Double.NaN, 0, filled.problem());
        }
        long t0 = System.nanoTime();
        Promise<BenchSocket> opened = Promise.promise();
        Promise<Long> complete = Promise.promise();
        endpoint.connect(0, filled.credentials(), 0).onComplete(opened).onFailure(complete::tryFail).onSuccess(socket -> {
            if (socket.lastSequence >= filled.lastSequence()) {
                complete.tryComplete(System.nanoTime());
                return;
            }
            socket.await(f -> socket.lastSequence >= filled.lastSequence(), timeoutMs)
                    .onSuccess(f -> complete.tryComplete(System.nanoTime()))
                    .onFailure(complete::tryFail);
        });
        try {
            long at = complete.future().toCompletionStage().toCompletableFuture()
                    .get(timeoutMs + 5000, java.util.concurrent.TimeUnit.MILLISECONDS);
            opened.future().onSuccess(BenchSocket::close);
            return new Result((at - t0) / 1e6, filled.lastSequence(), null);
        } catch (Exception e) {
            BenchSocket socket = opened.future().result();
            String problem = socket == null ? String.valueOf(e.getMessage())
                    : (socket.closed != null ? "closed " + socket.closed : "timed out") + " at sequence "
                    + socket.lastSequence + " of " + filled.lastSequence();
            if (socket != null) {
                socket.close();
            }
            return new Result(Double.NaN, socket == null ? 0 : socket.lastSequence, problem);
        }
    }
}
