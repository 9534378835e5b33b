package dev.parley.bench.load;

import java.util.Arrays;

/** Latencies in microseconds, kept whole (a phase records at most a few hundred thousand). Thread-safe. */
final class Latencies {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    synchronized int count() {
        return size;
    }

    /** The {@code q} quantile (0..1) in milliseconds, NaN when empty. */
    synchronized double quantileMs(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int at = (int) Math.min(size - 1, Math.ceil(q * size) - 1);
        return sorted[Math.max(0, at)] / 1000.0;
    }
}
