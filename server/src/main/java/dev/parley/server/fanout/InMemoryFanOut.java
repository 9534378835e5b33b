package dev.parley.server.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Fan-out inside one process: the single-node default, and the stand-in for Redis when a test runs
 * several nodes in one JVM ({@link Hub#node()} gives each node its own view of one shared hub).
 * Deliveries run on one daemon thread per hub, in publish order, so a handler sees the same
 * asynchrony it would see with Redis.
 */
public final class InMemoryFanOut implements FanOut {
    private final Hub hub;
    private final List<Runnable> gapListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private InMemoryFanOut(Hub hub) {
        this.hub = hub;
    }

    /** A fan-out for a single node with a hub of its own. */
    public static InMemoryFanOut standalone() {
        return new Hub().node();
    }

    @Override
    public void publish(String topic, String message) {
        if (!closed) {
            hub.publish(topic, message);
        }
    }

    @Override
    public Subscription subscribe(String topic, Consumer<String> handler) {
        Consumer<String> guarded = message -> {
            if (!closed) {
                handler.accept(message);
            }
        };
        List<Consumer<String>> handlers = hub.topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
        handlers.add(guarded);
        return () -> handlers.remove(guarded);
    }

    @Override
    public void onGap(Runnable listener) {
        gapListeners.add(listener);
    }

    /** Tells this node's gap listeners that messages may have been lost (tests simulate a reconnect). */
    public void signalGap() {
        gapListeners.forEach(Runnable::run);
    }

    @Override
    public boolean healthy() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The shared medium of several in-process nodes. */
    public static final class Hub implements AutoCloseable {
        private final Map<String, List<Consumer<String>>> topics = new ConcurrentHashMap<>();
        private final ExecutorService delivery = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parley-fanout-hub");
            thread.setDaemon(true);
            return thread;
        });

        /** A node's own fan-out on this hub. */
        public InMemoryFanOut node() {
            return new InMemoryFanOut(this);
        }

        private void publish(String topic, String message) {
            List<Consumer<String>> handlers = topics.get(topic);
            if (handlers == null || handlers.isEmpty()) {
                return;
            }
            delivery.execute(() -> handlers.forEach(handler -> handler.accept(message)));
        }

        @Override
        public void close() {
            delivery.shutdownNow();
        }
    }
}
