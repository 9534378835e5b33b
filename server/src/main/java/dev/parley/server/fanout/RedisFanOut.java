package dev.parley.server.fanout;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out of production mode: Redis PUBLISH/SUBSCRIBE over one publishing and one subscribing
 * connection (a {@link Link}), on a Vert.x instance of its own with one event loop.
 *
 * <p>What it guards against is a feed that is dead while it looks alive (Chatwoot #14703,
 * Rocket.Chat #19905 kept sockets open on a dead feed and lost updates silently). So a closed
 * connection is not the only failure it believes in: every {@code pingInterval} the node publishes
 * to a topic of its own, and when no ping has come back for {@code livenessDeadline} the link is
 * declared dead even though no socket said so. A dead link makes the node unhealthy, fires the gap
 * listeners (receivers refill from the store) and is replaced; reconnecting goes on forever with
 * exponential back-off, every topic is subscribed again, and the gap listeners fire once more.
 *
 * <p>Threads: {@code link}, {@code healthy}, the counters and the handler map may be read from any
 * thread; everything else — the connection state and the back-off — only on the event loop.
 * Handlers run on that event loop: they must hop before real work (as the port says).
 */
public final class RedisFanOut implements FanOut {
    private static final Logger LOG = LoggerFactory.getLogger(RedisFanOut.class);
    private static final String PING_TOPIC_PREFIX = "parley:fanout:ping:";
    private static final int SUBSCRIBE_CHUNK = 512;
    /** Requests one connection may have waiting for Redis's answer (publishes are bounded before that). */
    private static final int MAX_WAITING = 1 << 17;

    /**
     * @param pingInterval how often the node proves its feed alive by publishing to itself
     * @param livenessDeadline how long without a ping coming back before the link is declared dead
     *     (also the limit for connecting and subscribing)
     * @param minBackoff first wait before reconnecting; doubled per failed attempt
     * @param maxBackoff the longest wait between attempts
     * @param maxInFlight publishes sent and not yet acknowledged; beyond them publishes are dropped
     *     and counted (a lost doorbell is refilled by the receivers' head check)
     */
    public record Settings(Duration pingInterval, Duration livenessDeadline, Duration minBackoff,
                           Duration maxBackoff, int maxInFlight) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofMillis(100), Duration.ofSeconds(5), 4096);
    }

    private final Vertx vertx;
    private final RedisOptions options;
    private final Settings settings;
    private final String pingTopic = PING_TOPIC_PREFIX + UUID.randomUUID();
    /** Topic → handlers; a topic is here exactly while it has a subscription. */
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> gapListeners = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder gapSignals = new LongAdder();
    /** The one context all event-loop work is queued on, so it keeps the callers' order. */
    private final Context context;
    /** The link in use; null while connecting or waiting to reconnect. Written on the event loop. */
    private volatile Link link;
    private volatile boolean healthy;
    private volatile boolean closed;
    private volatile long lastRoundTripNanos = -1;
    // Event loop only:
    private long backoffMillis;
    private boolean everConnected;
    /** Whether the gap listeners were told about the outage under way (once per outage). */
    private boolean outageSignalled;
    private long lastProofNanos;

    private RedisFanOut(Vertx vertx, String url, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.backoffMillis = settings.minBackoff().toMillis();
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, settings.livenessDeadline().toMillis());
        this.options = new RedisOptions().setConnectionString(url)
                .setMaxWaitingHandlers(Math.max(MAX_WAITING, settings.maxInFlight() + 16))
                .setMaxPoolSize(2)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(connectMillis).setTcpKeepAlive(true));
        this.context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            connect();
            vertx.setPeriodic(settings.pingInterval().toMillis(), id -> checkLiveness());
        });
    }

    /**
     * Starts connecting to {@code url} ({@code redis://host:port}) in the background and returns at
     * once: a node starts, and serves by polling the store, while Redis is down.
     */
    public static RedisFanOut connect(String url, Settings settings) {
        // One event loop: every callback of the fan-out runs on its one thread.
        return new RedisFanOut(Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)), url, settings);
    }

    @Override
    public void publish(String topic, String message) {
        Link current = link;
        if (closed || current == null) {
            dropped.increment(); // down: the receivers' refill after the reconnect covers it
            return;
        }
        if (current.inFlight.incrementAndGet() > settings.maxInFlight()) {
            current.inFlight.decrementAndGet();
            dropped.increment();
            return;
        }
        if (!onLoop(() -> send(current, topic, message))) {
            current.inFlight.decrementAndGet();
            dropped.increment();
        }
    }

    private void send(Link current, String topic, String message) {
        Future<Response> sent;
        try {
            sent = current.pub.send(Request.cmd(Command.PUBLISH).arg(topic).arg(message));
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ar -> {
            current.inFlight.decrementAndGet();
            if (ar.succeeded()) {
                published.increment();
            } else {
                dropped.increment();
            }
        });
    }

    @Override
    public Subscription subscribe(String topic, Consumer<String> handler) {
        if (topic.equals(pingTopic)) {
            throw new IllegalArgumentException("reserved topic: " + topic);
        }
        Consumer<String> registration = message -> handler.accept(message); // its own identity
        handlers.compute(topic, (t, list) -> {
            List<Consumer<String>> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(registration);
            return l;
        });
        onLoop(() -> syncTopic(topic));
        return () -> {
            handlers.computeIfPresent(topic, (t, list) -> {
                list.remove(registration);
                return list.isEmpty() ? null : list;
            });
            onLoop(() -> syncTopic(topic));
        };
    }

    /** Queues work on the event loop; false once the fan-out is closed and the loop gone. */
    private boolean onLoop(Runnable work) {
        if (closed) {
            return false;
        }
        try {
            context.runOnContext(v -> work.run());
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void onGap(Runnable listener) {
        gapListeners.add(listener);
    }

    @Override
    public boolean healthy() {
        return healthy && !closed;
    }

    /** Publishes acknowledged by Redis. */
    public long published() {
        return published.sum();
    }

    /** Publishes dropped: while down, beyond the in-flight bound, or failed on the wire. */
    public long dropped() {
        return dropped.sum();
    }

    /** Links re-established after the first one. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Times the gap listeners were fired. */
    public long gapSignals() {
        return gapSignals.sum();
    }

    /** The last self-ping's round trip through Redis, the doorbell's lag; negative before the first. */
    public Duration doorbellLag() {
        long nanos = lastRoundTripNanos;
        return nanos < 0 ? Duration.ofNanos(-1) : Duration.ofNanos(nanos);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        healthy = false;
        if (Context.isOnEventLoopThread()) {
            vertx.close(); // cannot wait for the loop on the loop itself
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the fan-out's Redis connections did not close cleanly", e);
        }
    }

    // --- event loop only from here ---

    private void connect() {
        if (closed) {
            return;
        }
        Redis client;
        try {
            client = Redis.createClient(vertx, options);
        } catch (RuntimeException e) {
            attemptFailed(e); // e.g. a URL the client cannot use: keep trying, keep saying so
            return;
        }
        Promise<Link> attempt = Promise.promise();
        // A black-holed Redis accepts the TCP connection and never answers the handshake.
        long timer = vertx.setTimer(settings.livenessDeadline().toMillis(),
                id -> attempt.tryFail("no answer within " + settings.livenessDeadline()));
        Future<RedisConnection> pub = client.connect();
        Future<RedisConnection> sub = client.connect();
        Future.all(pub, sub)
                .compose(both -> {
                    Link candidate = new Link(client, pub.result(), sub.result());
                    watch(candidate);
                    return subscribeAll(candidate).map(candidate);
                })
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        attempt.tryComplete(ar.result());
                    } else {
                        attempt.tryFail(ar.cause());
                    }
                });
        attempt.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded() && !closed && !ar.result().dead) {
                established(ar.result());
            } else {
                client.close();
                if (!closed) {
                    attemptFailed(ar.failed() ? ar.cause() : new IllegalStateException("connection ended while subscribing"));
                }
            }
        });
    }

    private void watch(Link candidate) {
        candidate.sub.handler(response -> onPush(candidate, response));
        candidate.sub.exceptionHandler(e -> linkDead(candidate, "subscriber connection failed: " + e));
        candidate.sub.endHandler(v -> linkDead(candidate, "subscriber connection closed"));
        candidate.pub.exceptionHandler(e -> linkDead(candidate, "publisher connection failed: " + e));
        candidate.pub.endHandler(v -> linkDead(candidate, "publisher connection closed"));
    }

    private Future<Void> subscribeAll(Link candidate) {
        List<String> topics = new ArrayList<>();
        topics.add(pingTopic);
        topics.addAll(handlers.keySet());
        candidate.subscribed.addAll(topics);
        // Many channels per SUBSCRIBE, so thousands of sessions resubscribe in a few round trips.
        List<Future<Response>> acks = new ArrayList<>();
        for (int from = 0; from < topics.size(); from += SUBSCRIBE_CHUNK) {
            Request subscribe = Request.cmd(Command.SUBSCRIBE);
            topics.subList(from, Math.min(topics.size(), from + SUBSCRIBE_CHUNK)).forEach(subscribe::arg);
            acks.add(candidate.sub.send(subscribe));
        }
        return Future.all(acks).mapEmpty();
    }

    private void established(Link fresh) {
        link = fresh;
        lastProofNanos = System.nanoTime();
        handlers.keySet().forEach(this::syncTopic); // topics added or dropped while connecting
        if (everConnected) {
            reconnects.increment();
        }
        LOG.info("fan-out connected to Redis{}", everConnected || outageSignalled ? " again; receivers refill" : "");
        // Deliveries may have been missed while no link was subscribed (or before the first one).
        if (everConnected || outageSignalled) {
            fireGap();
        }
        everConnected = true;
        outageSignalled = false;
        ping(fresh); // health is proven by the first ping that comes back, not by the connect
    }

    private void attemptFailed(Throwable cause) {
        healthy = false;
        if (!outageSignalled) {
            LOG.warn("fan-out cannot reach Redis ({}); retrying with back-off up to {}", cause, settings.maxBackoff());
            outageSignalled = true;
            fireGap();
        }
        scheduleReconnect();
    }

    /** A link proven dead, by its sockets or by its silence; idempotent per link. */
    private void linkDead(Link dead, String reason) {
        if (dead.dead) {
            return;
        }
        dead.dead = true;
        if (link != dead || closed) {
            return; // still connecting (the attempt fails on its own), or closing
        }
        link = null;
        healthy = false;
        LOG.warn("fan-out lost its Redis feed: {}; reconnecting", reason);
        dead.client.close();
        outageSignalled = true;
        fireGap();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long wait = backoffMillis;
        backoffMillis = Math.min(settings.maxBackoff().toMillis(), backoffMillis * 2);
        vertx.setTimer(Math.max(1, wait), id -> connect());
    }

    private void checkLiveness() {
        Link current = link;
        if (current == null || closed) {
            return;
        }
        long silentNanos = System.nanoTime() - lastProofNanos;
        if (silentNanos > settings.livenessDeadline().toNanos()) {
            linkDead(current, "no self-ping came back for " + Duration.ofNanos(silentNanos).toMillis() + " ms");
            return;
        }
        ping(current);
    }

    private void ping(Link current) {
        current.pub.send(Request.cmd(Command.PUBLISH).arg(pingTopic).arg(Long.toString(System.nanoTime())))
                .onFailure(e -> linkDead(current, "self-ping failed: " + e));
    }

    private void onPush(Link from, Response response) {
        // RESP2 and RESP3 both give ["message", channel, payload]; subscribe confirmations are skipped.
        if (from.dead || response == null || response.size() != 3 || !"message".equals(response.get(0).toString())) {
            return;
        }
        String topic = response.get(1).toString();
        String payload = response.get(2).toString();
        if (topic.equals(pingTopic)) {
            pong(from, payload);
            return;
        }
        List<Consumer<String>> list = handlers.get(topic);
        if (list == null) {
            return;
        }
        for (Consumer<String> handler : list) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.warn("fan-out handler of {} failed", topic, e);
            }
        }
    }

    private void pong(Link from, String payload) {
        if (from != link) {
            return;
        }
        long now = System.nanoTime();
        lastProofNanos = now;
        try {
            lastRoundTripNanos = now - Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return; // not ours after all
        }
        if (!healthy) {
            // Back-off starts over only for a link proven alive, not for one that connects then fails.
            backoffMillis = settings.minBackoff().toMillis();
            healthy = true;
        }
    }

    /** Subscribes or unsubscribes the topic on the current link so it matches the handler map. */
    private void syncTopic(String topic) {
        Link current = link;
        if (current == null) {
            return; // the next link subscribes whatever the map holds then
        }
        boolean wanted = handlers.containsKey(topic);
        if (wanted && current.subscribed.add(topic)) {
            current.sub.send(Request.cmd(Command.SUBSCRIBE).arg(topic))
                    .onFailure(e -> linkDead(current, "subscribe failed: " + e));
        } else if (!wanted && current.subscribed.remove(topic)) {
            current.sub.send(Request.cmd(Command.UNSUBSCRIBE).arg(topic));
        }
    }

    private void fireGap() {
        gapSignals.increment();
        for (Runnable listener : gapListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("fan-out gap listener failed", e);
            }
        }
    }

    /** One client with its two connections; replaced as a whole when either fails. */
    private static final class Link {
        final Redis client;
        final RedisConnection pub;
        final RedisConnection sub;
        final AtomicInteger inFlight = new AtomicInteger();
        /** Event loop only. */
        final Set<String> subscribed = new HashSet<>();
        /** Event loop only. */
        boolean dead;

        Link(Redis client, RedisConnection pub, RedisConnection sub) {
            this.client = client;
            this.pub = pub;
            this.sub = sub;
        }
    }
}
