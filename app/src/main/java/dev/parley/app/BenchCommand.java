package dev.parley.app;

import dev.parley.protocol.ServerEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley bench}: load a running server through the SDK, then replay every session's history
 * and check that nothing was lost, duplicated or reordered. Exit code 0 when everything checks out,
 * 1 otherwise.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load-test a Parley server with SDK sessions and verify every session's history afterwards.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = "--sessions", paramLabel = "N", defaultValue = "50", description = "Concurrent sessions (default ${DEFAULT-VALUE}).")
    int sessions;
    @Option(names = "--messages", paramLabel = "M", defaultValue = "20", description = "Messages per session (default ${DEFAULT-VALUE}).")
    int messages;
    @Option(names = "--rate", paramLabel = "R", defaultValue = "2", description = "Messages per second per session (default ${DEFAULT-VALUE}).")
    double rate;
    @Option(names = "--warmup", paramLabel = "S", defaultValue = "0",
            description = "Seconds at the start whose messages are left out of the latency figures (default 0).")
    double warmup;
    @Option(names = "--duration", paramLabel = "S", description = "Stop sending after this many seconds.")
    Double duration;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;
    @Option(names = "--no-progress", description = "No progress bar (there is none when the output is not a terminal).")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sessions < 1 || messages < 1 || rate <= 0 || warmup < 0 || (duration != null && duration <= 0)) {
            err.println("error: --sessions and --messages must be at least 1, --rate and --duration positive, --warmup not negative");
            return 2;
        }
        var unreachable = Reachability.problem(server.url);
        if (unreachable.isPresent()) {
            err.println("error: " + unreachable.get());
            return 1;
        }
        LoadRun.Config config = new LoadRun.Config(server.url, server.token, server.host, sessions, messages, rate, server.streaming,
                warmup, duration);
        LoadRun.Outcome outcome;
        try (ProgressBar bar = progressBar()) {
            IntConsumer progress = bar == null ? n -> { } : bar::stepBy;
            outcome = new LoadRun(config, progress).run();
        }
        List<HistoryChecker.Result> checks = new ArrayList<>();
        List<String> readErrors = new ArrayList<>();
        check(outcome, checks, readErrors);
        BenchReport report = BenchReport.of(config, outcome, checks, readErrors);
        out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
        out.flush();
        return exitCode(report);
    }

    /** 0 when nothing was lost, duplicated, reordered, unanswered or failed; 1 otherwise. */
    static int exitCode(BenchReport report) {
        return report.ok() ? 0 : 1;
    }

    private ProgressBar progressBar() {
        if (noProgress || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("bench").setInitialMax((long) sessions * messages)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" msg", 1).showSpeed().build();
    }

    /** Replays each started session's history (a few at a time) and checks it. */
    private void check(LoadRun.Outcome outcome, List<HistoryChecker.Result> checks, List<String> errors)
            throws InterruptedException {
        HistoryReader reader = new HistoryReader(server.url, server.token, server.host, Duration.ofSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "parley-bench-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<HistoryChecker.Result>> futures = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (LoadRun.SessionOutcome s : outcome.sessions()) {
                if (s.sessionId() == null) {
                    continue;
                }
                ids.add(s.sessionId());
                futures.add(pool.submit(() -> {
                    List<ServerEvent> history = reader.read(s.sessionId());
                    return HistoryChecker.check(s.sessionId(), s.sentClientEventIds(), history);
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    checks.add(futures.get(i).get(60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    errors.add("session " + ids.get(i) + ": history not checked: " + cause.getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
            reader.close();
        }
    }
}
