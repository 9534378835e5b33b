package dev.parley.bench;

import dev.parley.protocol.EventType;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.store.Connector;
import dev.parley.server.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends per second through the group-commit writer on a real SQLite file
 * ({@code synchronous=FULL}), with many sessions appending at once, as in production: each
 * operation is one event appended and waited for until it is durable.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(32)
public class JournalBenchmark {
    private static final String JSON = "{\"id\":\"x\",\"sequence\":1,\"timestamp\":\"2026-01-01T00:00:00.000Z\","
            + "\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hello there\",\"message_id\":\"msg_1\"}}";

    @Param({"512"})
    public int maxBatchEvents;

    private Path dir;
    private SqliteStore store;
    private GroupCommitWriter writer;

    @State(Scope.Thread)
    public static class Session {
        private static final AtomicLong IDS = new AtomicLong();
        String id;
        long sequence;

        @Setup(Level.Trial)
        public void open(JournalBenchmark bench) {
            id = "bench-" + IDS.incrementAndGet();
            bench.store.create(SessionRecord.open(id, "con_bench", "web", false, Instant.now()),
                    new StoredEvent(id, 1, id + "-1", EventType.SESSION_START, Instant.now(), JSON, null));
            sequence = 1;
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("parley-bench");
        store = SqliteStore.open(dir);
        store.upsertConnector(new Connector("con_bench", "hash", "localhost", Instant.now(), null));
        writer = new GroupCommitWriter(store, 100_000, maxBatchEvents);
    }

    @TearDown(Level.Trial)
    public void close() {
        writer.close();
        store.close();
    }

    @Benchmark
    public void appendOneEventDurably(Session session) {
        long seq = ++session.sequence;
        CompletableFuture<Void> done = writer.append(List.of(new StoredEvent(session.id, seq,
                session.id + "-" + seq, EventType.USER_MESSAGE, Instant.now(), JSON, null)));
        done.join();
    }
}
