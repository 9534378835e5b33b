package dev.parley.bench.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open-loop latency: user messages are sent at a fixed total rate spread evenly over the sockets,
 * each at its intended time whatever the server does, and latency runs from the intended send time
 * to the echo, so a stalled server shows up as latency instead of as fewer sends (no coordinated
 * omission). Each socket's timer re-arms for its next intended time and sends every message that
 * is due, so generator jitter also counts against the server, never for it.
 */
final class OpenLoop {
    record Result(double p50, double p90, double p99, double max, long sent, long echoed, long refused,
                  Outcome outcome) {
    }

    private OpenLoop() {
    }

    static Result run(List<BenchSocket> sockets, String text, int ratePerSecond, long durationMs, long drainMs)
            throws InterruptedException {
        Latencies latencies = new Latencies();
        LongAdder sent = new LongAdder();
        LongAdder echoed = new LongAdder();
        LongAdder refused = new LongAdder();
        long periodNs = (long) (sockets.size() * 1e9 / ratePerSecond);
        long start = System.nanoTime() + 200_000_000L;
        long end = start + durationMs * 1_000_000;
        for (BenchSocket socket : sockets) {
            long offset = periodNs * socket.index / Math.max(1, sockets.size());
            socket.context.runOnContext(v -> new Sender(socket, text, start + offset, periodNs, end,
                    latencies, sent, echoed, refused).arm());
        }
        Thread.sleep(durationMs + 200 + drainMs);
        Outcome outcome = new Outcome();
        outcome.closedSockets(sockets);
        outcome.count("echo missing after " + drainMs + " ms", (int) (sent.sum() - echoed.sum() - refused.sum()));
        outcome.count("refused with a system message", (int) refused.sum());
        sockets.forEach(s -> s.context.runOnContext(v -> s.listen(f -> { })));
        return new Result(latencies.quantileMs(0.50), latencies.quantileMs(0.90), latencies.quantileMs(0.99),
                latencies.quantileMs(1.0), sent.sum(), echoed.sum(), refused.sum(), outcome);
    }

    /** One socket's schedule; every field is touched on the socket's event loop only. */
    private static final class Sender {
        private final BenchSocket socket;
        private final String text;
        private final long periodNs;
        private final long end;
        private final Latencies latencies;
        private final LongAdder sent;
        private final LongAdder echoed;
        private final LongAdder refused;
        private final Map<String, Long> intended = new HashMap<>();
        private long next;
        private long counter;

        Sender(BenchSocket socket, String text, long first, long periodNs, long end, Latencies latencies,
               LongAdder sent, LongAdder echoed, LongAdder refused) {
            this.socket = socket;
            this.text = text;
            this.next = first;
            this.periodNs = periodNs;
            this.end = end;
            this.latencies = latencies;
            this.sent = sent;
            this.echoed = echoed;
            this.refused = refused;
            socket.listen(this::onFrame);
        }

        void arm() {
            long delayMs = Math.max(1, (next - System.nanoTime()) / 1_000_000);
            socket.context.owner().setTimer(delayMs, t -> fire());
        }

        private void fire() {
            long now = System.nanoTime();
            while (next <= now && next < end) {
                String id = "o" + socket.index + "-" + (counter++);
                intended.put(id, next);
                sent.increment();
                socket.send(Frames.userMessage(text, id));
                next += periodNs;
            }
            if (next < end && socket.closed == null) {
                arm();
            }
        }

        private void onFrame(String frame) {
            String id = Frames.clientEventId(frame);
            Long at = id == null ? null : intended.remove(id);
            if (at == null) {
                return;
            }
            if (frame.contains("EVENT_TYPE_SYSTEM_MESSAGE")) {
                refused.increment();
            } else {
                echoed.increment();
                latencies.add((System.nanoTime() - at) / 1000);
            }
        }
    }
}
