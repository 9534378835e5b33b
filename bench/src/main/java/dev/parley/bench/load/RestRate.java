package dev.parley.bench.load;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Access token + session pairs per second, {@code parallel} pairs in flight, for {@code durationMs}. */
final class RestRate {
    record Result(double perSecond, Outcome outcome, long pairs) {
    }

    private RestRate() {
    }

    static Result run(Endpoint endpoint, int parallel, long durationMs) throws InterruptedException {
        LongAdder pairs = new LongAdder();
        ConcurrentHashMap<String, Integer> errors = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        long end = t0 + durationMs * 1_000_000;
        CountDownLatch chains = new CountDownLatch(parallel);
        for (int i = 0; i < parallel; i++) {
            // Each chain on one of the generator's event loops: started from this (non-Vert.x) thread,
            // every chain would run on one loop, and the generator, not the server, would set the rate.
            endpoint.contexts.get(i % endpoint.contexts.size())
                    .runOnContext(v -> next(endpoint, end, pairs, errors, chains));
        }
        boolean done = chains.await(durationMs + 35_000, TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Outcome outcome = new Outcome();
        errors.forEach(outcome::count);
        if (!done) {
            outcome.count("requests still open at the timeout", (int) chains.getCount());
        }
        return new Result(pairs.sum() / seconds, outcome, pairs.sum());
    }

    /**
     * Runs unmeasured pairs until {@code minPairs} were made (at least {@code minMs}, at most
     * {@code maxMs}): REST is the first phase against a freshly started server, and a fixed couple of
     * seconds left both the server's and the generator's HTTP paths interpreted, so the figure measured
     * the JIT (the raw no-op server's rate rose tenfold over its repetitions).
     */
    static void warmUp(Endpoint endpoint, int parallel, long minPairs, long minMs, long maxMs) throws InterruptedException {
        long t0 = System.nanoTime();
        long made = 0;
        while (true) {
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            if (elapsedMs >= maxMs || (made >= minPairs && elapsedMs >= minMs)) {
                return;
            }
            Result r = run(endpoint, parallel, Math.min(1000, Math.max(1, maxMs - elapsedMs)));
            made += r.pairs();
        }
    }

    private static void next(Endpoint endpoint, long end, LongAdder pairs, ConcurrentHashMap<String, Integer> errors,
                             CountDownLatch chains) {
        if (System.nanoTime() >= end) {
            chains.countDown();
            return;
        }
        Future<Endpoint.Credentials> pair = endpoint.createSession(false);
        pair.onComplete(r -> {
            if (r.succeeded()) {
                pairs.increment();
            } else {
                String m = String.valueOf(r.cause().getMessage());
                errors.merge(m.length() > 60 ? m.substring(0, 60) : m, 1, Integer::sum);
            }
            next(endpoint, end, pairs, errors, chains);
        });
    }
}
