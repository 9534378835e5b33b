package dev.parley.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What went wrong in a phase, counted: setup failures, closed sockets by close code, refusals, missing echoes. */
final class Outcome {
    final Map<String, Integer> problems = new TreeMap<>();

    void count(String what, int n) {
        if (n > 0) {
            problems.merge(what, n, Integer::sum);
        }
    }

    void failures(List<String> messages) {
        for (String m : messages) {
            count(shorten(m), 1);
        }
    }

    void closedSockets(List<BenchSocket> sockets) {
        for (BenchSocket s : sockets) {
            if (s.closed != null) {
                count("socket closed " + s.closed, 1);
            }
        }
    }

    boolean ok() {
        return problems.isEmpty();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        problems.forEach((k, v) -> parts.add(v + "x " + k));
        return String.join("; ", parts);
    }

    private static String shorten(String m) {
        return m.length() > 90 ? m.substring(0, 90) + "..." : m;
    }
}
