package dev.parley.bench.load;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out: one streaming session, {@code sockets} sockets on it; the first joins the agent and then
 * sends {@code messages} user messages at once. Every socket must see every echo and every complete
 * agent message (the greeting and one reply per message). Timed from the join to the last socket done.
 */
final class FanOut {
    record Result(double ms, String problem) {
    }

    private FanOut() {
    }

    static Result run(Endpoint endpoint, int sockets, int messages, long timeoutMs) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        List<Endpoint.Credentials> created = Sessions.create(endpoint, 1, true, failures);
        if (created.isEmpty()) {
            return new Result(Double.NaN, "session: " + failures);
        }
        Endpoint.Credentials credentials = created.get(0);
        List<Object> opened = Sessions.runAll(sockets, sockets, i -> endpoint.connect(i, credentials, 0), failures, 60);
        List<BenchSocket> all = new ArrayList<>();
        opened.forEach(o -> all.add((BenchSocket) o));
        if (all.size() < sockets) {
            Sessions.closeAll(all);
            return new Result(Double.NaN, "only " + all.size() + " of " + sockets + " sockets opened: " + failures);
        }
        CountDownLatch finished = new CountDownLatch(all.size());
        int[][] seen = new int[all.size()][2]; // [echoes, complete agent messages], each row on its socket's loop
        for (int s = 0; s < all.size(); s++) {
            BenchSocket socket = all.get(s);
            int row = s;
            Future.future(p -> socket.context.runOnContext(v -> {
                socket.listen(frame -> {
                    String id = Frames.clientEventId(frame);
                    if (id != null && id.startsWith("f") && Frames.is(frame, "EVENT_TYPE_USER_MESSAGE")) {
                        seen[row][0]++;
                    } else if (Frames.isCompleteAgentMessage(frame)) {
                        seen[row][1]++;
                    }
                    if (seen[row][0] == messages && seen[row][1] == messages + 1) {
                        finished.countDown();
                    }
                });
                p.complete();
            })).toCompletionStage().toCompletableFuture().join();
        }
        long t0 = System.nanoTime();
        BenchSocket first = all.get(0);
        first.context.runOnContext(v -> {
            Future<String> greeted = first.await(Frames::isCompleteAgentMessage, 30_000);
            first.send(Frames.JOIN);
            greeted.onSuccess(g -> {
                for (int i = 0; i < messages; i++) {
                    first.send(Frames.userMessage("What are your opening hours?", "f" + i));
                }
            });
        });
        boolean done = finished.await(timeoutMs, TimeUnit.MILLISECONDS);
        double ms = (System.nanoTime() - t0) / 1e6;
        Outcome outcome = new Outcome();
        outcome.closedSockets(all);
        Sessions.closeAll(all);
        if (done && outcome.ok()) {
            return new Result(ms, null);
        }
        return new Result(Double.NaN, (done ? "" : finished.getCount() + " of " + all.size()
                + " sockets incomplete after " + timeoutMs + " ms; ") + outcome);
    }
}
