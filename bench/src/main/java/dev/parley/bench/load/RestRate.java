package dev.parley.bench.load;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Access token + session pairs per second, {@code parallel} pairs in flight, for {@code durationMs}. */
final class RestRate {
    record Result(double perSecond, Outcome outcome) {
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
            next(endpoint, end, pairs, errors, chains);
        }
        boolean done = chains.await(durationMs + 35_000, TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Outcome outcome = new Outcome();
        errors.forEach(outcome::count);
        if (!done) {
            outcome.count("requests still open at the timeout", (int) chains.getCount());
        }
        return new Result(pairs.sum() / seconds, outcome);
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
