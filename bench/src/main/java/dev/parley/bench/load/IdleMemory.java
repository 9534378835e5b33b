package dev.parley.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Memory per idle connection: the server's resident set ({@code VmRSS}) before and after opening
 * {@code count} sockets that only received their history, divided by {@code count}. The sessions
 * are created before the first reading, so only the connections are counted.
 */
final class IdleMemory {
    record Result(double kbPerConnection, int opened, Outcome outcome) {
    }

    private IdleMemory() {
    }

    static Result run(Endpoint endpoint, ServerProcess server, int count, long settleMs) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        List<Endpoint.Credentials> credentials = Sessions.create(endpoint, count, false, failures);
        Thread.sleep(settleMs);
        long before = server.rssKb();
        List<BenchSocket> sockets = new ArrayList<>();
        for (Object o : Sessions.runAll(credentials.size(), 64, i -> endpoint.connect(i, credentials.get(i), 0),
                failures, 120)) {
            sockets.add((BenchSocket) o);
        }
        Thread.sleep(settleMs);
        long after = server.rssKb();
        Outcome outcome = new Outcome();
        outcome.failures(failures);
        outcome.closedSockets(sockets);
        Sessions.closeAll(sockets);
        double per = sockets.isEmpty() ? Double.NaN : (after - before) / (double) sockets.size();
        return new Result(per, sockets.size(), outcome);
    }
}
