package dev.parley.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of all repetitions, per server and metric, and the one table: the median of the
 * repetitions for each server, Parley over raw, the target, and every problem seen.
 */
final class Report {
    /** One figure of one run; {@code value} is NaN when the phase failed. */
    record Value(double value, String problem) {
    }

    record Metric(String key, String label, String unit, String target) {
    }

    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    /** server name → metric → one value per repetition. */
    private final Map<String, Map<String, List<Value>>> runs = new LinkedHashMap<>();
    private final Map<String, Object> setup = new LinkedHashMap<>();

    void metric(String key, String label, String unit, String target) {
        metrics.putIfAbsent(key, new Metric(key, label, unit, target));
    }

    void setup(String key, Object value) {
        setup.put(key, value);
    }

    synchronized void add(String server, String key, double value, String problem) {
        runs.computeIfAbsent(server, s -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Value(value, problem == null || problem.isEmpty() ? null : problem));
    }

    String table() {
        StringBuilder out = new StringBuilder();
        setup.forEach((k, v) -> out.append(String.format("%-9s %s%n", k, v)));
        out.append('\n');
        String format = "%-46s %12s %12s %9s  %-16s %s%n";
        out.append(String.format(format, "metric (median of runs)", "raw", "parley", "parley/raw", "target", "problems"));
        for (Metric m : metrics.values()) {
            double raw = median("raw", m.key());
            double parley = median("parley", m.key());
            String ratio = Double.isNaN(raw) || Double.isNaN(parley) || raw == 0 ? "-"
                    : String.format("%.2f", parley / raw);
            out.append(String.format(format, m.label() + " (" + m.unit() + ")", fmt(raw), fmt(parley), ratio,
                    m.target(), problems(m.key())));
        }
        return out.toString();
    }

    String json() throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("setup", setup);
        List<Object> rows = new ArrayList<>();
        for (Metric m : metrics.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", m.key());
            row.put("label", m.label());
            row.put("unit", m.unit());
            row.put("target", m.target());
            for (String server : List.of("raw", "parley")) {
                Map<String, Object> s = new LinkedHashMap<>();
                double median = median(server, m.key());
                s.put("median", Double.isNaN(median) ? null : median);
                List<Object> all = new ArrayList<>();
                for (Value v : values(server, m.key())) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("value", Double.isNaN(v.value()) ? null : v.value());
                    one.put("problem", v.problem());
                    all.add(one);
                }
                s.put("runs", all);
                row.put(server, s);
            }
            double raw = median("raw", m.key());
            double parley = median("parley", m.key());
            row.put("ratio", Double.isNaN(raw) || Double.isNaN(parley) || raw == 0 ? null : parley / raw);
            rows.add(row);
        }
        root.put("metrics", rows);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }

    private List<Value> values(String server, String key) {
        return runs.getOrDefault(server, Map.of()).getOrDefault(key, List.of());
    }

    private double median(String server, String key) {
        double[] ok = values(server, key).stream().mapToDouble(Value::value).filter(v -> !Double.isNaN(v)).toArray();
        if (ok.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(ok);
        return ok.length % 2 == 1 ? ok[ok.length / 2] : (ok[ok.length / 2 - 1] + ok[ok.length / 2]) / 2;
    }

    private String problems(String key) {
        Set<String> seen = new LinkedHashSet<>();
        for (String server : List.of("raw", "parley")) {
            List<Value> vs = values(server, key);
            for (int i = 0; i < vs.size(); i++) {
                if (vs.get(i).problem() != null) {
                    seen.add(server + " run " + (i + 1) + ": " + vs.get(i).problem());
                }
            }
        }
        return String.join(" | ", seen);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : String.format("%.2f", v);
    }
}
