package dev.parley.app;

import dev.parley.client.AgentMessage;
import dev.parley.client.ClientOptions;
import dev.parley.client.ConnectionState;
import dev.parley.client.Conversation;
import dev.parley.client.ConversationListener;
import dev.parley.client.ConversationLostException;
import dev.parley.client.DeliveryStatus;
import dev.parley.client.OutgoingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.ServerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load engine of {@code parley bench}: opens {@code sessions} conversations through the SDK,
 * waits for each greeting, then sends {@code messages} per session at {@code rate} per second and
 * measures echo latency (send → SENT) and reply latency (send → the complete agent message that
 * answers it, matched first-in first-out). Everything that ran is kept for the history check.
 */
public final class LoadRun {
    /** Questions the demo flow answers without a handoff or an end. */
    static final List<String> QUESTIONS = List.of(
            "What are your opening hours?", "Show me the menu", "How much does it cost?", "Book a table");

    /** What to run. */
    public record Config(String url, String token, String host, int sessions, int messages, double rate,
                         boolean streaming, double warmupSeconds, Double durationSeconds) {
    }

    /** One session as it ran: its id (null if it never started) and its messages in send order. */
    public record SessionOutcome(String sessionId, List<String> sentClientEventIds, int echoed, int failed,
                                 int replies, String error) {
    }

    /** Totals and histograms (microseconds) of the run. */
    public record Outcome(List<SessionOutcome> sessions, long elapsedNanos, long loadNanos, long events,
                          int maxConnected, Histogram echoLatencyMicros, Histogram replyLatencyMicros, boolean settled) {
    }

    private final Config config;
    private final IntConsumer progress;
    private final ConcurrentHistogram echoLatency = new ConcurrentHistogram(3_600_000_000L, 3);
    private final ConcurrentHistogram replyLatency = new ConcurrentHistogram(3_600_000_000L, 3);
    private final AtomicLong events = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger maxConnected = new AtomicInteger();
    private final AtomicLong firstSendNanos = new AtomicLong(Long.MAX_VALUE);

    /** @param progress told of each message that settled (echoed or failed) */
    public LoadRun(Config config, IntConsumer progress) {
        this.config = config;
        this.progress = progress;
    }

    public Outcome run() throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + (long) (config.warmupSeconds() * 1e9);
        long sendDeadline = config.durationSeconds() == null ? Long.MAX_VALUE
                : start + (long) (config.durationSeconds() * 1e9);
        long periodNanos = Math.max(1, (long) (1e9 / config.rate()));
        CountDownLatch finished = new CountDownLatch(config.sessions());
        List<Driver> drivers = new ArrayList<>();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "parley-bench-sender");
            t.setDaemon(true);
            return t;
        });
        ParleyClient client = ParleyClient.create(ClientOptions.builder()
                .baseUrl(config.url()).connectorToken(config.token()).host(config.host())
                .streaming(config.streaming()).platform("custom")
                .maxReconnectAttempts(ClientOptions.UNLIMITED)
                .build());
        boolean settled;
        long end;
        try {
            for (int i = 0; i < config.sessions(); i++) {
                Driver d = new Driver(i, scheduler, periodNanos, measureFrom, sendDeadline, finished);
                drivers.add(d);
                d.conversation = client.start(d);
            }
            // Bounded: ramp-up, the sends themselves, and time for the last replies.
            double sendSeconds = config.messages() / config.rate();
            if (config.durationSeconds() != null) {
                sendSeconds = Math.min(sendSeconds, config.durationSeconds());
            }
            long budgetSeconds = (long) (60 + config.sessions() * 0.25 + sendSeconds + 30);
            settled = finished.await(budgetSeconds, TimeUnit.SECONDS);
            end = System.nanoTime();
        } finally {
            scheduler.shutdownNow();
            client.close();
        }
        List<SessionOutcome> outcomes = new ArrayList<>();
        for (Driver d : drivers) {
            outcomes.add(d.outcome());
        }
        long loadStart = Math.min(firstSendNanos.get(), end);
        return new Outcome(outcomes, end - start, end - loadStart, events.get(), maxConnected.get(),
                echoLatency.copy(), replyLatency.copy(), settled);
    }

    /** Drives one conversation; listener calls come on its SDK thread. */
    private final class Driver implements ConversationListener {
        private final int index;
        private final ScheduledExecutorService scheduler;
        private final long periodNanos;
        private final long measureFrom;
        private final long sendDeadline;
        private final CountDownLatch finished;
        volatile Conversation conversation;
        private final List<String> sent = new ArrayList<>(); // guarded by this
        private final ConcurrentLinkedQueue<Long> awaitingReply = new ConcurrentLinkedQueue<>();
        private final AtomicInteger echoed = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger replies = new AtomicInteger();
        private final AtomicBoolean greeted = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean sendingOver;
        private volatile boolean wasConnected;
        private volatile String error;
        private ScheduledFuture<?> sender;

        Driver(int index, ScheduledExecutorService scheduler, long periodNanos, long measureFrom, long sendDeadline,
               CountDownLatch finished) {
            this.index = index;
            this.scheduler = scheduler;
            this.periodNanos = periodNanos;
            this.measureFrom = measureFrom;
            this.sendDeadline = sendDeadline;
            this.finished = finished;
        }

        private void startSending() {
            long offset = ThreadLocalRandom.current().nextLong(periodNanos);
            synchronized (this) {
                sender = scheduler.scheduleAtFixedRate(this::sendNext, offset, periodNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void sendNext() {
            int n;
            synchronized (this) {
                n = sent.size();
                if (n >= config.messages() || System.nanoTime() >= sendDeadline) {
                    sendingOver = true;
                    sender.cancel(false);
                    checkDone();
                    return;
                }
            }
            String text = QUESTIONS.get(n % QUESTIONS.size());
            long t0 = System.nanoTime();
            firstSendNanos.accumulateAndGet(t0, Math::min);
            awaitingReply.add(t0); // before sending, so the reply always finds it
            OutgoingMessage m = conversation.send(text);
            synchronized (this) {
                sent.add(m.clientEventId());
                if (sent.size() >= config.messages()) {
                    sendingOver = true;
                    sender.cancel(false);
                }
            }
            m.settled().thenAccept(status -> {
                if (status == DeliveryStatus.SENT) {
                    if (t0 >= measureFrom) {
                        echoLatency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                    }
                    echoed.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                progress.accept(1);
                checkDone();
            });
        }

        /** All sent messages settled and answered (or failed): the session is done. */
        private void checkDone() {
            int total;
            synchronized (this) {
                total = sent.size();
            }
            if (sendingOver && echoed.get() + failed.get() >= total && replies.get() >= echoed.get()
                    && done.compareAndSet(false, true)) {
                finished.countDown();
            }
        }

        private void giveUp(String why) {
            error = why;
            synchronized (this) {
                sendingOver = true;
                if (sender != null) {
                    sender.cancel(false);
                }
            }
            if (done.compareAndSet(false, true)) {
                finished.countDown();
            }
        }

        @Override
        public void onEvent(Conversation c, ServerEvent event) {
            events.incrementAndGet();
        }

        @Override
        public void onStateChanged(Conversation c, ConnectionState state) {
            if (state == ConnectionState.CONNECTED && !wasConnected) {
                wasConnected = true;
                maxConnected.accumulateAndGet(connected.incrementAndGet(), Math::max);
            } else if (state != ConnectionState.CONNECTED && wasConnected) {
                wasConnected = false;
                connected.decrementAndGet();
            }
            if (state == ConnectionState.CLOSED && !done.get()) {
                giveUp("closed before the run ended");
            }
        }

        @Override
        public void onAgentMessage(Conversation c, AgentMessage message) {
            if (greeted.compareAndSet(false, true)) {
                startSending();
                return;
            }
            Long t0 = awaitingReply.poll();
            if (t0 != null) {
                if (t0 >= measureFrom) {
                    replyLatency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                }
                replies.incrementAndGet();
            }
            checkDone();
        }

        @Override
        public void onFailure(Conversation c, ConversationLostException e) {
            giveUp("session " + index + " lost: " + e.getMessage());
        }

        synchronized SessionOutcome outcome() {
            return new SessionOutcome(conversation == null ? null : conversation.sessionId(), List.copyOf(sent),
                    echoed.get(), failed.get(), replies.get(), error);
        }
    }
}
