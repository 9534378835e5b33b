package dev.parley.server.limits;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the limits shared by all nodes live: Lua scripts on the fan-out's Redis, each one atomic
 * step on Redis's own clock ({@code TIME}), so node clocks do not matter and two nodes never both
 * take the last token. A pooled client on a Vert.x of its own (one event loop), never blocking.
 *
 * <p><b>When Redis does not answer</b> (down, cut off, slower than {@code timeout}, or more than
 * {@code maxInFlight} calls waiting) a call fails at once or at its timeout, and the callers answer
 * with their node's own limits, which they keep counting all along: Redis loss neither opens the
 * gates (each node still enforces the limit on its own share) nor blocks traffic. After a failure
 * Redis is not asked again for {@code retryAfterFailure}; then one call at a time probes it while the
 * others stay local, and the first answer makes the limits shared again.
 *
 * <p>Answers complete on the caller's Vert.x context (taken when the call is made), or on this
 * client's loop for a caller outside Vert.x.
 */
public final class RedisLimits implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLimits.class);

    /**
     * @param timeout           longest wait for one answer before the node's own limits answer
     * @param retryAfterFailure how long after a failure every call is answered locally without asking
     * @param maxInFlight       calls sent and not answered; beyond them, local answers at once
     */
    public record Settings(Duration timeout, Duration retryAfterFailure, int maxInFlight) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(250), Duration.ofSeconds(1), 4096);
    }

    /** A Lua script, sent by its SHA-1 and loaded on the first NOSCRIPT (e.g. after a Redis restart). */
    record Script(String lua, String sha) {
        static Script of(String lua) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(lua.getBytes(StandardCharsets.UTF_8));
                return new Script(lua, HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-1", e);
            }
        }
    }

    private static final String KEY_PREFIX = "parley:limits:";

    private static final RuntimeException UNAVAILABLE = new IllegalStateException("shared limits unavailable") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown for every local answer during an outage: no stack to build
        }
    };

    private final Vertx vertx;
    private final Redis client;
    private final Settings settings;
    private final Context context;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final LongAdder answered = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** {@link System#nanoTime()} until which Redis is not asked; meaningful only while {@link #down}. */
    private volatile long quietUntil;
    private volatile boolean down;
    private volatile boolean closed;

    private RedisLimits(Vertx vertx, String url, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        int connectMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()));
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(4)
                .setMaxPoolWaiting(settings.maxInFlight())
                .setMaxWaitingHandlers(settings.maxInFlight() + 16)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(connectMillis).setTcpKeepAlive(true)));
        this.context = vertx.getOrCreateContext();
    }

    /** A client for {@code url} ({@code redis://host:port}); connects on the first call, never waits here. */
    public static RedisLimits connect(String url, Settings settings) {
        return new RedisLimits(Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)), url,
                settings);
    }

    /**
     * Runs {@code script}; fails without asking Redis while it is considered down or too busy, and
     * otherwise at the timeout. Completes on the caller's context.
     */
    Future<Response> run(Script script, List<String> keys, List<String> args) {
        Context caller = Vertx.currentContext();
        if (closed || !mayAsk()) {
            fallbacks.increment();
            return Future.failedFuture(UNAVAILABLE);
        }
        if (inFlight.incrementAndGet() > settings.maxInFlight()) {
            inFlight.decrementAndGet();
            probing.set(false);
            fallbacks.increment();
            return Future.failedFuture(UNAVAILABLE);
        }
        Promise<Response> answer = Promise.promise();
        try {
            context.runOnContext(v -> send(script, keys, args, caller, answer));
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            fallbacks.increment();
            return Future.failedFuture(UNAVAILABLE);
        }
        return answer.future();
    }

    /** True when Redis may be asked now: it is up, or its quiet time is over and nobody else probes. */
    private boolean mayAsk() {
        if (!down) {
            return true;
        }
        return System.nanoTime() - quietUntil >= 0 && probing.compareAndSet(false, true);
    }

    // --- on this client's loop ---

    private void send(Script script, List<String> keys, List<String> args, Context caller, Promise<Response> answer) {
        Promise<Response> reply = Promise.promise();
        long timer = vertx.setTimer(settings.timeout().toMillis(),
                id -> reply.tryFail("no answer from Redis within " + settings.timeout().toMillis() + " ms"));
        evaluate(Command.EVALSHA, script.sha(), keys, args).recover(e -> isNoScript(e)
                        ? evaluate(Command.EVAL, script.lua(), keys, args) : Future.failedFuture(e))
                .onComplete(reply::tryComplete, reply::tryFail);
        reply.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            inFlight.decrementAndGet();
            if (ar.succeeded()) {
                answered.increment();
                if (down) {
                    LOG.info("shared limits reach Redis again: limits count over all nodes");
                }
                down = false;
            } else {
                failures.increment();
                fallbacks.increment();
                quietUntil = System.nanoTime() + settings.retryAfterFailure().toNanos();
                if (!down) {
                    LOG.warn("shared limits cannot reach Redis ({}): each node enforces its own limits until it answers",
                            ar.cause().toString());
                }
                down = true;
            }
            probing.set(false);
            if (caller == null) {
                answer.handle(ar);
            } else {
                caller.runOnContext(v -> answer.handle(ar));
            }
        });
    }

    private Future<Response> evaluate(Command command, String scriptOrSha, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(scriptOrSha).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        try {
            return client.send(request);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * The Redis key of {@code key} in {@code namespace}: a digest, so keys have a bounded length and
     * Redis never holds what they are made of (connector tokens, addresses, agent names).
     */
    static String key(String namespace, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return KEY_PREFIX + namespace + ":" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static boolean isNoScript(Throwable e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
    }

    /** Calls Redis answered. */
    public long answered() {
        return answered.sum();
    }

    /** Calls answered with the node's own limits instead: Redis down, too slow, failed, or too busy. */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** Calls that went to Redis and failed or timed out. */
    public long failures() {
        return failures.sum();
    }

    /** False from a failed call until the next answer. */
    public boolean healthy() {
        return !down && !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Context.isOnEventLoopThread()) {
            vertx.close();
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the shared limits' Redis connections did not close cleanly", e);
        }
    }
}
