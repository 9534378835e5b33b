package dev.parley.bench.load;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop echo throughput: each socket sends its next user message as soon as the echo of the
 * previous one arrives (matched by {@code client_event_id}), so throughput is what the server
 * sustains with {@code sockets} messages in flight. Agent replies and other frames are counted
 * and otherwise ignored; a refusal (a system message carrying the id) counts and frees the slot.
 */
final class ClosedLoop {
    record Result(double perSecond, long echoes, long refused, long otherFrames, Outcome outcome) {
    }

    private ClosedLoop() {
    }

    static Result run(List<BenchSocket> sockets, String text, long warmupMs, long measureMs) throws InterruptedException {
        LongAdder echoes = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder other = new LongAdder();
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong measureTo = new AtomicLong(Long.MAX_VALUE);
        for (BenchSocket socket : sockets) {
            socket.context.runOnContext(v -> {
                long[] counter = {0}; // event loop only
                String prefix = "c" + socket.index + "-";
                String[] pending = {prefix + counter[0]};
                socket.listen(frame -> {
                    String id = Frames.clientEventId(frame);
                    if (id == null || !id.equals(pending[0])) {
                        other.increment();
                        return;
                    }
                    long now = System.nanoTime();
                    boolean inWindow = now >= measureFrom.get() && now < measureTo.get();
                    if (frame.contains("EVENT_TYPE_SYSTEM_MESSAGE")) {
                        if (inWindow) {
                            refused.increment();
                        }
                    } else if (inWindow) {
                        echoes.increment();
                    }
                    if (now < measureTo.get()) {
                        pending[0] = prefix + (++counter[0]);
                        socket.send(Frames.userMessage(text, pending[0]));
                    }
                });
                socket.send(Frames.userMessage(text, pending[0]));
            });
        }
        Thread.sleep(warmupMs);
        long from = System.nanoTime();
        measureFrom.set(from);
        measureTo.set(from + measureMs * 1_000_000);
        Thread.sleep(measureMs);
        // Let the messages in flight land before the sockets are used again or closed.
        Thread.sleep(Math.min(2000, Math.max(300, measureMs / 5)));
        Outcome outcome = new Outcome();
        outcome.closedSockets(sockets);
        sockets.forEach(s -> s.context.runOnContext(v -> s.listen(f -> { })));
        long n = echoes.sum();
        return new Result(n * 1000.0 / measureMs, n, refused.sum(), other.sum(), outcome);
    }
}
