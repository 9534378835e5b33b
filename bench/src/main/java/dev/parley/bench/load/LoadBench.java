package dev.parley.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/run}: starts the raw echo and Parley as two JVMs with the same flags, runs every
 * phase against raw then Parley, repeated (A B A B ...), and prints one table ({@code --json} for
 * machines). {@code --quick} shortens everything for a smoke run. The generator shares the machine.
 */
public final class LoadBench {
    private static final String AGENT_TEXT = "What are your opening hours?";
    private static final String ECHO_TEXT = "Just a note for whoever picks this up later";

    /** Sizes of one run; the full and the quick ones. */
    record Plan(int sockets, long warmupMs, long measureMs, int[] rates, long openMs, long drainMs, int[] replays,
                int fanoutSockets, int fanoutMessages, long restMs, int idle, int reps) {
        static final Plan FULL = new Plan(500, 3000, 10_000, new int[]{1000, 5000}, 10_000, 3000,
                new int[]{1000, 10_000, 100_000}, 10, 20, 5000, 1000, 3);
        static final Plan QUICK = new Plan(100, 1000, 2000, new int[]{200, 1000}, 2000, 1000,
                new int[]{1000, 10_000}, 10, 5, 1000, 100, 1);
    }

    private LoadBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> list = Arrays.asList(args);
        Plan plan = list.contains("--quick") ? Plan.QUICK : Plan.FULL;
        boolean json = list.contains("--json");
        int reps = intArg(list, "--reps", plan.reps());
        if (list.contains("--trace")) {
            System.setProperty("bench.trace", "true");
        }
        Path parleyJar = Path.of(stringArg(list, "--parley-jar", "app/target/parley.jar"));
        Path benchJar = Path.of(stringArg(list, "--bench-jar", ownJar()));
        List<String> jvm = List.of(stringArg(list, "--jvm-flags", "-Xmx1g -XX:+UseG1GC").split(" "));
        Path work = Files.createTempDirectory("parley-bench");
        Files.writeString(work.resolve("parley.yaml"), parleyConfig());

        Report report = new Report();
        describe(report, plan, reps, jvm);
        List<String> parleyArgs = List.of("-jar", parleyJar.toString(), "serve", "--port", "0", "--data-dir",
                work.resolve("data").toString(), "--config", work.resolve("parley.yaml").toString());
        log(json, "preparing replay sessions in " + work);
        List<Replay.Filled> filled = prepareReplays(plan, jvm, parleyArgs, work);
        log(json, "starting servers");
        try (ServerProcess raw = ServerProcess.start("raw", jvm, List.of("-cp", benchJar.toString(),
                "dev.parley.bench.raw.RawEchoServer", "--port", "0"), work.resolve("raw.log"));
             ServerProcess parley = ServerProcess.start("parley", jvm, parleyArgs, work.resolve("parley.log"))) {
            Vertx vertx = vertx();
            List<Context> contexts = contexts(vertx);
            Map<String, ServerProcess> processes = new LinkedHashMap<>();
            processes.put("raw", raw);
            processes.put("parley", parley);
            Map<String, Endpoint> endpoints = new LinkedHashMap<>();
            endpoints.put("raw", new Endpoint(vertx, contexts, "raw", false, raw.port));
            endpoints.put("parley", new Endpoint(vertx, contexts, "parley", true, parley.port));
            for (int rep = 1; rep <= reps; rep++) {
                for (String server : endpoints.keySet()) {
                    log(json, "run " + rep + " of " + reps + ": " + server);
                    if (!processes.get(server).alive()) {
                        report.add(server, "rest", Double.NaN, "server process died");
                        continue;
                    }
                    new Suite(plan, report, server, endpoints.get(server), processes.get(server), filled, json).run();
                }
            }
            endpoints.values().forEach(Endpoint::close);
            vertx.close();
        }
        System.out.println(json ? report.json() : report.table());
        System.exit(0);
    }

    /**
     * Starts each replay session through the protocol on a first Parley process, stops it, and
     * lengthens the sessions in its journal; the measured Parley then starts on the same data.
     */
    private static List<Replay.Filled> prepareReplays(Plan plan, List<String> jvm, List<String> parleyArgs, Path work)
            throws Exception {
        List<Replay.Filled> filled = new ArrayList<>();
        try (ServerProcess parley = ServerProcess.start("parley-fill", jvm, parleyArgs, work.resolve("parley-fill.log"))) {
            Vertx vertx = vertx();
            Endpoint endpoint = new Endpoint(vertx, contexts(vertx), "parley", true, parley.port);
            for (int size : plan.replays()) {
                filled.add(Replay.fill(endpoint, 20, 60_000));
            }
            endpoint.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        Path db = work.resolve("data").resolve("parley.db");
        for (int i = 0; i < filled.size(); i++) {
            Replay.Filled f = filled.get(i);
            if (f.credentials() != null) {
                filled.set(i, f.extendedTo(StoreFill.extend(db, f.credentials().sessionId(), plan.replays()[i])));
            }
        }
        return filled;
    }

    private static Vertx vertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    }

    private static List<Context> contexts(Vertx vertx) {
        List<Context> contexts = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            contexts.add(vertx.getOrCreateContext());
        }
        return contexts;
    }

    /** The phases of one run against one server, in a fixed order. */
    private record Suite(Plan plan, Report report, String server, Endpoint endpoint, ServerProcess process,
                         List<Replay.Filled> filled, boolean json) {
        void run() throws InterruptedException {
            // Warm-up, not measured: connections and the JIT of both sides (20k pairs, within 2.5–20 s).
            RestRate.warmUp(endpoint, 64, 20_000, plan.restMs() / 2, Math.max(plan.restMs() / 2, 20_000));
            RestRate.Result rest = RestRate.run(endpoint, 64, plan.restMs());
            report.add(server, "rest", rest.perSecond(), rest.outcome().toString());

            IdleMemory.Result mem = IdleMemory.run(endpoint, process, plan.idle(), 2000);
            report.add(server, "memory", mem.kbPerConnection(), mem.outcome().toString());

            Sessions.Opened pure = Sessions.open(endpoint, plan.sockets(), Sessions.Mode.QUEUED, false);
            ClosedLoop.Result echo = ClosedLoop.run(pure.sockets(), ECHO_TEXT, plan.warmupMs(), plan.measureMs());
            report.add(server, "echo_pure", echo.perSecond(), problems(pure, echo.outcome(), echo.refused()));
            Sessions.closeAll(pure.sockets());
            log(json, String.format("  rest %.0f/s, memory %.1f KiB/conn, pure echo %.0f/s", rest.perSecond(),
                    mem.kbPerConnection(), echo.perSecond()));

            Sessions.Opened joined = Sessions.open(endpoint, plan.sockets(), Sessions.Mode.JOINED, false);
            ClosedLoop.Result agent = ClosedLoop.run(joined.sockets(), AGENT_TEXT, plan.warmupMs(), plan.measureMs());
            // The raw echo has no agent: its row repeats its pure echo, the baseline of both targets.
            report.add(server, "echo_agent", endpoint.parley ? agent.perSecond() : echo.perSecond(),
                    problems(joined, agent.outcome(), agent.refused()));
            log(json, String.format("  agent-joined echo %.0f/s", agent.perSecond()));
            for (int rate : plan.rates()) {
                OpenLoop.Result r = OpenLoop.run(joined.sockets(), AGENT_TEXT, rate, plan.openMs(), plan.drainMs());
                String problem = problems(joined, r.outcome(), 0);
                report.add(server, "p50_" + rate, r.p50(), problem);
                report.add(server, "p90_" + rate, r.p90(), problem);
                report.add(server, "p99_" + rate, r.p99(), problem);
                report.add(server, "max_" + rate, r.max(), problem);
                log(json, String.format("  %d msg/s: p50 %.1f p99 %.1f max %.1f ms, %d sent %d echoed", rate,
                        r.p50(), r.p99(), r.max(), r.sent(), r.echoed()));
            }
            Sessions.closeAll(joined.sockets());
            if (!endpoint.parley) {
                return; // replay and fan-out need a journal and an agent
            }
            for (int i = 0; i < filled.size(); i++) {
                Replay.Result r = Replay.measure(endpoint, filled.get(i), 60_000);
                report.add(server, "replay_" + plan.replays()[i], r.ms(), r.problem());
                log(json, "  replay " + plan.replays()[i] + ": " + (r.problem() != null ? r.problem() : r.ms() + " ms"));
            }
            FanOut.Result fan = FanOut.run(endpoint, plan.fanoutSockets(), plan.fanoutMessages(), 60_000);
            report.add(server, "fanout", fan.ms(), fan.problem());
            log(json, "  fan-out: " + (fan.problem() != null ? fan.problem() : fan.ms() + " ms"));
        }

        private static String problems(Sessions.Opened opened, Outcome outcome, long refused) {
            outcome.failures(opened.failures());
            outcome.count("refused with a system message", (int) refused);
            return outcome.toString();
        }
    }

    private static void describe(Report report, Plan plan, int reps, List<String> jvm) {
        report.setup("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.vm.version") + ", load average " + loadAverage());
        report.setup("servers", "raw Vert.x echo and Parley (durable SQLite journal), each its own JVM: " + String.join(" ", jvm));
        report.setup("load", plan.sockets() + " sockets; closed loop " + plan.measureMs() / 1000.0 + " s after "
                + plan.warmupMs() / 1000.0 + " s warm-up; open loop " + plan.openMs() / 1000.0 + " s per rate; "
                + reps + " runs interleaved raw/parley");
        report.metric("echo_pure", "echo, closed loop, pure echo", "msg/s", ">= 0.50x raw");
        report.metric("echo_agent", "echo, closed loop, agent joined", "msg/s", ">= 0.35x raw");
        for (int rate : plan.rates()) {
            for (String q : List.of("p50", "p90", "p99", "max")) {
                report.metric(q + "_" + rate, "echo " + q + " at " + rate + " msg/s, agent joined", "ms",
                        q.equals("p99") && rate == 5000 ? "<= 20 ms" : "");
            }
        }
        for (int size : plan.replays()) {
            report.metric("replay_" + size, "replay of " + size + " events from cursor 0", "ms",
                    size == 10_000 ? "< 200 ms" : "");
        }
        report.metric("fanout", "fan-out, 1 session x " + plan.fanoutSockets() + " sockets, " + plan.fanoutMessages()
                + " msgs streamed", "ms", "all complete");
        report.metric("rest", "access token + session pairs", "pairs/s", ">= 5000/s");
        report.metric("memory", "RSS per idle connection (" + plan.idle() + " sockets)", "KiB", "<= 1.2x raw");
    }

    /** Limits raised so the figures show the server, not its throttles; slow status timers off. */
    private static String parleyConfig() {
        return """
                session_inactivity_timeout_seconds: 7200
                idle_timeout_seconds: 7200
                rate_limits:
                  http: {per_second: 1000000, burst: 1000000}
                  session_messages: {per_second: 1000000, burst: 1000000}
                agent:
                  stream_chunk_delay_ms: 5
                desk:
                  status_period_seconds: 3600
                """;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String ownJar() {
        try {
            return new File(LoadBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (Exception e) {
            return "bench/target/benchmarks.jar";
        }
    }

    private static void log(boolean json, String line) {
        (json ? System.err : System.out).println(line);
        (json ? System.err : System.out).flush();
    }

    private static int intArg(List<String> args, String name, int fallback) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? Integer.parseInt(args.get(at + 1)) : fallback;
    }

    private static String stringArg(List<String> args, String name, String fallback) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : fallback;
    }
}
