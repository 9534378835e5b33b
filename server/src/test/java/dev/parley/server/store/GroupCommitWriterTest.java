package dev.parley.server.store;

import static dev.parley.server.store.TestJournal.CONNECTOR_ID;
import static dev.parley.server.store.TestJournal.connector;
import static dev.parley.server.store.TestJournal.message;
import static dev.parley.server.store.TestJournal.session;
import static dev.parley.server.store.TestJournal.sessionStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupCommitWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    SqliteStore store;
    GatedStore gated;
    GroupCommitWriter writer;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dataDir);
        store.createConnector(connector(CONNECTOR_ID, "hash-1"));
        gated = new GatedStore(store);
    }

    @AfterEach
    void close() {
        gated.open();
        if (writer != null) {
            writer.close();
        }
        store.close();
    }

    @Test
    void appends_from_many_threads_are_all_durable_contiguous_per_session_and_group_committed() throws Exception {
        int threads = 8;
        int appendsPerThread = 200;
        int sessions = 50;
        createSessions(sessions);
        writer = new GroupCommitWriter(store, threads * appendsPerThread);
        List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            // Each session belongs to one thread, as a session belongs to one event loop.
            pool.submit(() -> {
                start.await();
                long[] next = new long[sessions];
                for (int i = 0; i < appendsPerThread; i++) {
                    int s = thread + threads * (i % ownedSessions(sessions, threads, thread));
                    futures.add(writer.append(List.of(message("s" + s, 2 + next[s]++))));
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);

        long stored = 0;
        for (int s = 0; s < sessions; s++) {
            List<Long> sequences = store.readAfter("s" + s, 0, 10_000).stream().map(StoredEvent::sequence).toList();
            assertThat(sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, sequences.size()).boxed().toList());
            stored += sequences.size() - 1;
        }
        int appends = threads * appendsPerThread;
        assertThat(stored).isEqualTo(appends);
        assertThat(writer.appendsRequested()).isEqualTo(appends);
        assertThat(writer.eventsWritten()).isEqualTo(appends);
        assertThat(writer.batchesWritten()).isLessThan(writer.appendsRequested());
    }

    @Test
    void futures_complete_on_the_writer_thread_in_submission_order() throws InterruptedException {
        createSessions(1);
        // Small batches, so that order across several commits is checked too.
        writer = new GroupCommitWriter(gated, 1_000, 7);
        List<Long> completed = Collections.synchronizedList(new ArrayList<>());
        List<String> threadNames = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (long seq = 2; seq < 302; seq++) {
            long s = seq;
            futures.add(writer.append(List.of(message("s0", s))).thenRun(() -> {
                completed.add(s);
                threadNames.add(Thread.currentThread().getName());
            }));
        }

        // Held until every callback is attached; a callback added to a completed future would run here.
        gated.awaitEntered();
        gated.open();

        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        assertThat(completed).containsExactlyElementsOf(LongStream.range(2, 302).boxed().toList());
        assertThat(threadNames).containsOnly(GroupCommitWriter.THREAD_NAME);
    }

    @Test
    void a_bad_append_in_a_group_fails_alone_and_the_others_are_stored() throws InterruptedException {
        createSessions(3);
        writer = new GroupCommitWriter(gated, 100);
        CompletableFuture<Void> blocker = writer.append(List.of(message("s0", 2)));
        gated.awaitEntered();

        CompletableFuture<Void> good1 = writer.append(List.of(message("s1", 2)));
        CompletableFuture<Void> duplicate = writer.append(List.of(message("s0", 1))); // SESSION_START holds 1
        CompletableFuture<Void> good2 = writer.append(List.of(message("s2", 2), message("s2", 3)));
        gated.open();

        assertThat(blocker).succeedsWithin(WAIT);
        assertThat(good1).succeedsWithin(WAIT);
        assertThat(good2).succeedsWithin(WAIT);
        assertThat(duplicate).failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(StoreException.class);
        // The three were first tried as one group of four events.
        assertThat(gated.callSizes()).contains(4);
        assertThat(store.headSequence("s1")).isEqualTo(2);
        assertThat(store.headSequence("s2")).isEqualTo(3);
        assertThat(store.readAfter("s0", 0, 10)).extracting(StoredEvent::type)
                .containsExactly(dev.parley.protocol.EventType.SESSION_START, dev.parley.protocol.EventType.POLY_AGENT_MESSAGE);
    }

    @Test
    void an_append_to_a_full_queue_fails_at_once_instead_of_blocking() throws InterruptedException {
        createSessions(1);
        writer = new GroupCommitWriter(gated, 2);
        CompletableFuture<Void> inFlight = writer.append(List.of(message("s0", 2)));
        gated.awaitEntered();
        CompletableFuture<Void> queued1 = writer.append(List.of(message("s0", 3)));
        CompletableFuture<Void> queued2 = writer.append(List.of(message("s0", 4)));

        CompletableFuture<Void> refused = writer.append(List.of(message("s0", 5)));

        assertThat(refused).isCompletedExceptionally();
        assertThat(refused).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(StoreException.class).withMessage("journal queue full");
        gated.open();
        assertThat(CompletableFuture.allOf(inFlight, queued1, queued2)).succeedsWithin(WAIT);
        assertThat(store.headSequence("s0")).isEqualTo(4);
    }

    @Test
    void a_full_queue_is_reported_as_journal_full_not_as_a_storage_failure() throws InterruptedException {
        createSessions(1);
        writer = new GroupCommitWriter(gated, 1);
        CompletableFuture<Void> inFlight = writer.append(List.of(message("s0", 2)));
        gated.awaitEntered();
        CompletableFuture<Void> queued = writer.append(List.of(message("s0", 3)));

        assertThat(writer.hasRoom()).isFalse();
        assertThat(writer.append(List.of(message("s0", 4)))).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(JournalFullException.class);
        gated.open();
        assertThat(CompletableFuture.allOf(inFlight, queued)).succeedsWithin(WAIT);
        assertThat(writer.hasRoom()).isTrue();
    }

    @Test
    void an_append_that_waits_for_room_is_written_once_the_queue_drains_and_ahead_of_later_appends()
            throws InterruptedException {
        createSessions(2);
        writer = new GroupCommitWriter(gated, 1, 1);
        CompletableFuture<Void> inFlight = writer.append(List.of(message("s0", 2)));
        gated.awaitEntered();
        CompletableFuture<Void> queued = writer.append(List.of(message("s0", 3)));

        CompletableFuture<Void> waiting = writer.appendWhenRoom(List.of(message("s1", 2)));

        assertThat(waiting).isNotDone();
        assertThat(writer.parkedAppends()).isEqualTo(1);
        assertThat(writer.hasRoom()).as("no room while someone waits for it").isFalse();
        gated.open();
        assertThat(CompletableFuture.allOf(inFlight, queued, waiting)).succeedsWithin(WAIT);
        assertThat(writer.parkedAppends()).isZero();
        assertThat(store.headSequence("s1")).isEqualTo(2);
        assertThat(writer.appendWhenRoom(List.of(message("s1", 3)))).succeedsWithin(WAIT);
    }

    @Test
    void close_writes_appends_that_were_waiting_for_room() throws InterruptedException {
        createSessions(1);
        writer = new GroupCommitWriter(gated, 1);
        CompletableFuture<Void> inFlight = writer.append(List.of(message("s0", 2)));
        gated.awaitEntered();
        CompletableFuture<Void> queued = writer.append(List.of(message("s0", 3)));
        CompletableFuture<Void> waiting = writer.appendWhenRoom(List.of(message("s0", 4)));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(writer::close);
        await().atMost(WAIT).until(() -> writer.append(List.of(message("ghost", 1)))
                .handle((ok, e) -> e != null && e.getMessage().contains("journal closed")).join());
        gated.open();

        assertThat(closing).succeedsWithin(WAIT);
        assertThat(List.of(inFlight, queued, waiting)).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(store.headSequence("s0")).isEqualTo(4);
    }

    @Test
    void close_writes_everything_already_queued_and_later_appends_are_refused() throws InterruptedException {
        createSessions(1);
        writer = new GroupCommitWriter(gated, 100);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        futures.add(writer.append(List.of(message("s0", 2))));
        gated.awaitEntered();
        for (long seq = 3; seq <= 12; seq++) {
            futures.add(writer.append(List.of(message("s0", seq))));
        }

        CompletableFuture<Void> closing = CompletableFuture.runAsync(writer::close);
        // Probes use an unknown session: one that slips in before close is refused by the store later
        // and leaves s0 alone.
        await().atMost(WAIT).until(() -> writer.append(List.of(message("ghost", 1))).isCompletedExceptionally());
        assertThat(closing).isNotDone();
        gated.open();

        assertThat(closing).succeedsWithin(WAIT);
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(store.headSequence("s0")).isEqualTo(12);
        assertThat(writer.append(List.of(message("s0", 13)))).failsWithin(Duration.ZERO)
                .withThrowableThat().havingCause().withMessage("journal closed");
    }

    @Test
    void an_empty_append_completes_at_once_without_a_commit() {
        writer = new GroupCommitWriter(store, 10);

        assertThat(writer.append(List.of())).isCompleted();
        assertThat(writer.batchesWritten()).isZero();
    }

    @Test
    void concurrent_session_creations_share_transactions_and_every_session_is_stored_with_its_start()
            throws InterruptedException {
        createSessions(1);
        writer = new GroupCommitWriter(gated, 1_000);
        // A commit in progress (held), so that the creations queue up behind it as they would
        // behind a real fsync.
        CompletableFuture<Void> inProgress = writer.append(List.of(message("s0", 2)));
        gated.awaitEntered();
        List<CompletableFuture<Void>> creations = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            creations.add(writer.create(session("new" + i), sessionStart("new" + i)));
        }
        gated.open();

        assertThat(inProgress).succeedsWithin(WAIT);
        assertThat(CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        for (int i = 0; i < 200; i++) {
            assertThat(store.findSession("new" + i)).isPresent();
            assertThat(store.readAfter("new" + i, 0, 10)).singleElement()
                    .satisfies(e -> assertThat(e.type()).isEqualTo(dev.parley.protocol.EventType.SESSION_START));
        }
        assertThat(writer.eventsWritten()).isEqualTo(201);
        assertThat(writer.batchesWritten()).as("commits for 200 creations and one append").isLessThan(200);
    }

    @Test
    void a_session_creation_meeting_a_full_queue_is_refused_at_once_and_nothing_of_it_is_stored()
            throws InterruptedException {
        createSessions(1);
        writer = new GroupCommitWriter(gated, 1);
        CompletableFuture<Void> inProgress = writer.append(List.of(message("s0", 2)));
        gated.awaitEntered();
        CompletableFuture<Void> waiting = writer.create(session("queued"), sessionStart("queued"));

        CompletableFuture<Void> refused = writer.create(session("refused"), sessionStart("refused"));

        assertThat(refused).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(JournalFullException.class);
        gated.open();
        assertThat(inProgress).succeedsWithin(WAIT);
        assertThat(waiting).succeedsWithin(WAIT);
        assertThat(store.findSession("queued")).isPresent();
        assertThat(store.findSession("refused")).isEmpty();
    }

    private void createSessions(int count) {
        for (int s = 0; s < count; s++) {
            store.create(session("s" + s), sessionStart("s" + s));
        }
    }

    private static int ownedSessions(int sessions, int threads, int thread) {
        return (sessions - thread + threads - 1) / threads;
    }

    /** Holds the first appends at a gate the test opens, so it can fill the queue behind them. */
    private static final class GatedStore implements EventStore {
        private final EventStore delegate;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private final List<Integer> callSizes = Collections.synchronizedList(new ArrayList<>());

        GatedStore(EventStore delegate) {
            this.delegate = delegate;
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        void open() {
            gate.countDown();
        }

        List<Integer> callSizes() {
            return List.copyOf(callSizes);
        }

        @Override
        public void append(List<SessionRecord> newSessions, List<StoredEvent> events) {
            callSizes.add(events.size());
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted", e);
            }
            delegate.append(newSessions, events);
        }

        @Override
        public List<StoredEvent> readAfter(String sessionId, long afterSequence, int limit) {
            return delegate.readAfter(sessionId, afterSequence, limit);
        }

        @Override
        public long headSequence(String sessionId) {
            return delegate.headSequence(sessionId);
        }

        @Override
        public Optional<StoredEvent> findByClientEventId(String sessionId, String clientEventId) {
            return delegate.findByClientEventId(sessionId, clientEventId);
        }
    }
}
