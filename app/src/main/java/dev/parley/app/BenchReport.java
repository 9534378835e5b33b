package dev.parley.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Json;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The figures of one {@code parley bench} run, as text or JSON. */
public record BenchReport(
        Machine machine,
        LoadRun.Config config,
        int sessionsStarted,
        int sent,
        int echoed,
        int failed,
        int replies,
        long events,
        double elapsedSeconds,
        double loadSeconds,
        int maxConnections,
        Latency echoLatency,
        Latency replyLatency,
        int lost,
        int duplicated,
        int outOfOrder,
        int sequenceGaps,
        int repeatedSequences,
        int unanswered,
        int sessionsChecked,
        boolean settled,
        List<String> problems) {

    /** Where the run happened. */
    public record Machine(int cores, long physicalMemoryBytes, long maxHeapBytes, String java, String os) {
        static Machine current() {
            long physical = -1;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                physical = os.getTotalMemorySize();
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), physical, Runtime.getRuntime().maxMemory(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        }
    }

    /** Milliseconds, from a histogram in microseconds. */
    public record Latency(long count, double p50, double p90, double p99, double max) {
        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(90) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                    micros.getMaxValue() / 1000.0);
        }
    }

    static BenchReport of(LoadRun.Config config, LoadRun.Outcome run, List<HistoryChecker.Result> checks,
                          List<String> readErrors) {
        int started = 0;
        int sent = 0;
        int echoed = 0;
        int failed = 0;
        int replies = 0;
        List<String> problems = new ArrayList<>();
        for (LoadRun.SessionOutcome s : run.sessions()) {
            if (s.sessionId() != null) {
                started++;
            }
            sent += s.sentClientEventIds().size();
            echoed += s.echoed();
            failed += s.failed();
            replies += s.replies();
            if (s.error() != null) {
                problems.add(s.error());
            }
        }
        if (started < config.sessions()) {
            problems.add((config.sessions() - started) + " session(s) never started");
        }
        if (failed > 0) {
            problems.add(failed + " message(s) failed delivery");
        }
        if (!run.settled()) {
            problems.add("the run did not settle in time: some echoes or replies never came");
        }
        int lost = 0;
        int duplicated = 0;
        int outOfOrder = 0;
        int gaps = 0;
        int repeated = 0;
        int unanswered = 0;
        for (HistoryChecker.Result r : checks) {
            lost += r.lost().size();
            duplicated += r.duplicated().size();
            outOfOrder += r.outOfOrder();
            gaps += r.gaps().size();
            repeated += r.repeatedSequences().size();
            unanswered += r.unanswered();
            problems.addAll(r.problems());
        }
        problems.addAll(readErrors);
        return new BenchReport(Machine.current(), config, started, sent, echoed, failed, replies, run.events(),
                run.elapsedNanos() / 1e9, run.loadNanos() / 1e9, run.maxConnected(),
                Latency.of(run.echoLatencyMicros()), Latency.of(run.replyLatencyMicros()),
                lost, duplicated, outOfOrder, gaps, repeated, unanswered, checks.size(), run.settled(),
                List.copyOf(problems));
    }

    /** Nothing lost, duplicated, out of order, unanswered or failed. */
    public boolean ok() {
        return problems.isEmpty();
    }

    public double eventsPerSecond() {
        return loadSeconds <= 0 ? 0 : events / loadSeconds;
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append("Parley bench\n");
        s.append(String.format(Locale.ROOT, "machine   %d cores, %s RAM, max heap %s, %s, %s%n", machine.cores(),
                gib(machine.physicalMemoryBytes()), gib(machine.maxHeapBytes()), machine.java(), machine.os()));
        s.append(String.format(Locale.ROOT, "config    %s, %d sessions x %d messages at %s msg/s, streaming %s, warmup %s s%s%n",
                config.url(), config.sessions(), config.messages(), num(config.rate()),
                config.streaming() ? "on" : "off", num(config.warmupSeconds()),
                config.durationSeconds() == null ? "" : ", duration cap " + num(config.durationSeconds()) + " s"));
        s.append(String.format(Locale.ROOT, "sessions  %d started, %d connections held at peak%n", sessionsStarted, maxConnections));
        s.append(String.format(Locale.ROOT, "messages  %d sent, %d echoed, %d failed, %d agent replies%n", sent, echoed, failed, replies));
        s.append(String.format(Locale.ROOT, "events    %d received in %.1f s of load (%.1f s overall): %.0f events/s%n",
                events, loadSeconds, elapsedSeconds, eventsPerSecond()));
        s.append(String.format(Locale.ROOT, "history   %d sessions replayed from cursor 0: %d lost, %d duplicated, %d out of order, "
                + "%d sequence gaps, %d repeated sequences, %d unanswered%n",
                sessionsChecked, lost, duplicated, outOfOrder, sequenceGaps, repeatedSequences, unanswered));
        s.append("\nlatency (ms)      count      p50      p90      p99      max\n");
        s.append(row("echo (→ SENT)", echoLatency));
        s.append(row("agent reply", replyLatency));
        s.append('\n');
        if (problems.isEmpty()) {
            s.append("OK: every message stored exactly once, in order, and answered\n");
        } else {
            s.append("FAILED:\n");
            problems.forEach(p -> s.append("  ").append(p).append('\n'));
        }
        return s.toString();
    }

    private static String row(String name, Latency l) {
        return String.format(Locale.ROOT, "%-14s %8d %8.1f %8.1f %8.1f %8.1f%n", name, l.count(), l.p50(), l.p90(), l.p99(), l.max());
    }

    private static String gib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    public String toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode m = root.putObject("machine");
        m.put("cores", machine.cores()).put("physical_memory_bytes", machine.physicalMemoryBytes())
                .put("max_heap_bytes", machine.maxHeapBytes()).put("java", machine.java()).put("os", machine.os());
        ObjectNode c = root.putObject("config");
        c.put("url", config.url()).put("sessions", config.sessions()).put("messages", config.messages())
                .put("rate", config.rate()).put("streaming", config.streaming()).put("warmup_seconds", config.warmupSeconds());
        if (config.durationSeconds() != null) {
            c.put("duration_seconds", config.durationSeconds());
        }
        root.put("sessions_started", sessionsStarted).put("max_connections", maxConnections)
                .put("sent", sent).put("echoed", echoed).put("failed", failed).put("replies", replies)
                .put("events", events).put("elapsed_seconds", elapsedSeconds).put("load_seconds", loadSeconds)
                .put("events_per_second", eventsPerSecond())
                .put("sessions_checked", sessionsChecked).put("lost", lost).put("duplicated", duplicated)
                .put("out_of_order", outOfOrder).put("sequence_gaps", sequenceGaps)
                .put("repeated_sequences", repeatedSequences).put("unanswered", unanswered)
                .put("settled", settled).put("ok", ok());
        ObjectNode lat = root.putObject("latency_ms");
        latency(lat.putObject("echo"), echoLatency);
        latency(lat.putObject("reply"), replyLatency);
        ArrayNode p = root.putArray("problems");
        problems.forEach(p::add);
        return root.toPrettyString();
    }

    private static void latency(ObjectNode node, Latency l) {
        node.put("count", l.count()).put("p50", l.p50()).put("p90", l.p90()).put("p99", l.p99()).put("max", l.max());
    }
}
