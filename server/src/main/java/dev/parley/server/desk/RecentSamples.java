package dev.parley.server.desk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The last few measurements per key (a queue, an agent), for estimates and the supervisor's
 * averages. In memory only: a restarted desk starts empty. Not thread-safe; the desk confines it.
 */
final class RecentSamples {
    private final int kept;
    private final Map<String, Deque<Double>> byKey = new HashMap<>();

    RecentSamples(int kept) {
        this.kept = kept;
    }

    void add(String key, double value) {
        Deque<Double> samples = byKey.computeIfAbsent(key, k -> new ArrayDeque<>(kept + 1));
        samples.addLast(value);
        if (samples.size() > kept) {
            samples.removeFirst();
        }
    }

    OptionalDouble average(String key) {
        Deque<Double> samples = byKey.get(key);
        return samples == null ? OptionalDouble.empty() : samples.stream().mapToDouble(Double::doubleValue).average();
    }

    /** The rounded average, or {@link DeskOverview#NONE} with no sample. */
    long roundedAverage(String key) {
        OptionalDouble average = average(key);
        return average.isPresent() ? Math.round(average.getAsDouble()) : DeskOverview.NONE;
    }

    /** The average to one decimal, or {@link DeskOverview#NO_RATING} with no sample. */
    double averageToOneDecimal(String key) {
        OptionalDouble average = average(key);
        return average.isPresent() ? Math.round(average.getAsDouble() * 10) / 10.0 : DeskOverview.NO_RATING;
    }
}
