package dev.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.RateLimiter;
import dev.parley.server.auth.Strikes;
import dev.parley.server.desk.LoginLimits;
import dev.parley.server.desk.LoginThrottle;
import dev.parley.server.testing.RedisServer;
import dev.parley.server.testing.TcpProxy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared limits' Lua scripts and fallback against a real Redis: two clients stand for two nodes.
 * Time moves only on Redis's clock, so budgets refill at one token per 1000 s and nothing refills
 * while a test runs.
 */
class SharedLimitsOnRedisTest {
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final RedisLimits.Settings SETTINGS = new RedisLimits.Settings(Duration.ofSeconds(5),
            Duration.ofMillis(200), 4096);

    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final List<AutoCloseable> open = new ArrayList<>();
    private Vertx vertx;
    private TcpProxy proxy;

    @BeforeEach
    void start() {
        redis.stop(); // empty, and without the scripts loaded
        redis.start();
        vertx = Vertx.vertx();
        proxy = TcpProxy.to("127.0.0.1", redis.port());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        proxy.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private RedisLimits client(RedisLimits.Settings settings) {
        RedisLimits client = RedisLimits.connect("redis://127.0.0.1:" + proxy.port(), settings);
        open.add(client);
        return client;
    }

    private SharedRateLimit bucket(RedisLimits client, int burst) {
        return new SharedRateLimit(client, "test", 0.001, burst, new RateLimiter<>(0.001, burst, 100, clock));
    }

    @Test
    void twoNodesAskingAtOnceNeverGetMoreThanTheBurstBetweenThem() throws Exception {
        SharedRateLimit a = bucket(client(SETTINGS), 50);
        SharedRateLimit b = bucket(client(SETTINGS), 50);
        List<Future<RateDecision>> answers = onContext(() -> {
            List<Future<RateDecision>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(a.tryAcquire("key"));
                all.add(b.tryAcquire("key"));
            }
            return all;
        });
        Future.all(answers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(answers.stream().filter(f -> f.result().allowed())).hasSize(50);
        RateDecision.Limited refused = (RateDecision.Limited) answers.stream().filter(f -> !f.result().allowed())
                .findFirst().orElseThrow().result();
        assertThat(refused.retryAfterSeconds()).as("one token back after 1000 s").isBetween(990L, 1000L);
        assertThat(result(b.tryAcquire("other")).allowed()).as("each key its own bucket").isTrue();
    }

    @Test
    void answersComeBackOnTheCallersContext() throws Exception {
        SharedRateLimit a = bucket(client(SETTINGS), 5);
        Context caller = vertx.getOrCreateContext();
        CompletableFuture<Boolean> same = new CompletableFuture<>();
        caller.runOnContext(v -> a.tryAcquire("key").onComplete(ar -> same.complete(Vertx.currentContext() == caller)));
        assertThat(same.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void checkingTakesNothingAndARefusalIsAnsweredWithoutAskingRedisAgain() throws Exception {
        RedisLimits client = client(SETTINGS);
        SharedRateLimit a = bucket(client, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(result(a.check("key")).allowed()).isTrue();
        }
        assertThat(result(a.tryAcquire("key")).allowed()).isTrue();
        assertThat(result(a.tryAcquire("key")).allowed()).isTrue();
        assertThat(result(a.tryAcquire("key")).allowed()).isFalse();
        long asked = client.answered();

        for (int i = 0; i < 10; i++) {
            assertThat(result(a.tryAcquire("key")).allowed()).isFalse();
            assertThat(result(a.check("key")).allowed()).isFalse();
        }
        assertThat(client.answered()).as("no token can come before the refusal's time").isEqualTo(asked);
    }

    @Test
    void aRestartedRedisHasLostItsScriptsAndTheyAreLoadedAgain() throws Exception {
        RedisLimits client = client(SETTINGS);
        SharedRateLimit a = bucket(client, 3);
        assertThat(result(a.tryAcquire("key")).allowed()).isTrue();
        redis.stop();
        redis.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            result(a.tryAcquire("probe"));
            return client.healthy();
        });
        for (int i = 0; i < 3; i++) {
            assertThat(result(a.tryAcquire("after")).allowed()).isTrue();
        }
        assertThat(result(a.tryAcquire("after")).allowed()).isFalse();
        assertThat(result(a.tryAcquire("key")).allowed()).as("a restart forgets the counts").isTrue();
    }

    @Test
    void whileRedisIsUnreachableTheNodesOwnCountAnswersAndIsCounted() throws Exception {
        RedisLimits client = client(SETTINGS);
        SharedRateLimit a = bucket(client, 2);
        assertThat(result(a.tryAcquire("key")).allowed()).isTrue(); // connected
        proxy.refuseNew();
        proxy.cutAll();

        assertThat(result(a.tryAcquire("key")).allowed()).as("the node's own second token").isTrue();
        assertThat(result(a.tryAcquire("key")).allowed()).as("the node's own limit").isFalse();
        assertThat(client.healthy()).isFalse();
        assertThat(client.fallbacks()).isGreaterThanOrEqualTo(2);
        assertThat(client.failures()).isPositive();

        proxy.heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> result(a.tryAcquire("key")).allowed());
        assertThat(client.healthy()).as("Redis's count, which saw one take, has a token left").isTrue();
        assertThat(result(a.tryAcquire("key")).allowed()).isFalse();
    }

    @Test
    void aSilentRedisIsAnsweredLocallyAtTheTimeoutAndThenAtOnceUntilItIsTriedAgain() throws Exception {
        RedisLimits client = client(new RedisLimits.Settings(Duration.ofMillis(300), Duration.ofSeconds(30), 4096));
        SharedRateLimit a = bucket(client, 3);
        assertThat(result(a.tryAcquire("key")).allowed()).isTrue(); // connected
        proxy.stall();

        assertThat(result(a.tryAcquire("key")).allowed()).as("answered by the node at the timeout").isTrue();
        assertThat(client.failures()).isEqualTo(1);
        assertThat(result(a.tryAcquire("key")).allowed()).isTrue();
        assertThat(result(a.tryAcquire("key")).allowed()).isFalse();
        assertThat(client.failures()).as("not asked again within retryAfterFailure").isEqualTo(1);
        proxy.heal();
    }

    @Test
    void strikesLockAllNodesAndARefundBelowTheLimitUnlocks() throws Exception {
        SharedStrikes a = new SharedStrikes(client(SETTINGS));
        SharedStrikes b = new SharedStrikes(client(SETTINGS));
        List<SharedStrikes.Count> count = List.of(
                SharedStrikes.Count.of("t", "key", 3, Duration.ofMinutes(15), Duration.ofMinutes(15)));
        assertThat(result(a.strike(count))).isZero();
        assertThat(result(b.strike(count))).isZero();
        assertThat(result(a.check(count))).isZero();
        result(b.strike(count));

        assertThat(result(a.check(count))).as("locked for the lockout").isBetween(890_000L, 900_000L);
        assertThat(result(b.begin(count))).as("begin refuses and counts nothing").isPositive();
        result(a.refund(count));
        assertThat(result(b.check(count))).as("two failures left: unlocked").isZero();
        assertThat(result(b.begin(count))).as("begin counted the third again").isZero();
        assertThat(result(a.check(count))).isPositive();
        result(b.clear(count));
        assertThat(result(a.check(count))).isZero();
    }

    @Test
    void loginAttemptsOnTwoNodesFollowTheOneNodeRules() throws Exception {
        LoginLimits limits = LoginLimits.DEFAULTS;
        SharedLoginAttempts a = new SharedLoginAttempts(new SharedStrikes(client(SETTINGS)), limits,
                new LoginThrottle(limits, 100, clock));
        SharedLoginAttempts b = new SharedLoginAttempts(new SharedStrikes(client(SETTINGS)), limits,
                new LoginThrottle(limits, 100, clock));
        for (int i = 0; i < 4; i++) {
            assertThat(result((i % 2 == 0 ? a : b).begin("Sarah", "10.0.0.1")).allowed()).isTrue();
        }
        result(a.abandoned("Sarah", "10.0.0.1")); // the pool was full: it does not count
        assertThat(result(b.begin("Sarah", "10.0.0.1")).allowed()).isTrue();
        assertThat(result(a.begin(" Sarah ", "10.0.0.1")).allowed()).as("the fifth failure, the name stripped").isTrue();

        assertThat(result(b.begin("Sarah", "10.0.0.1"))).isEqualTo(new RateDecision.Limited(900));
        assertThat(result(a.begin("Sarah", "10.0.0.2")).allowed()).as("another address").isTrue();
        result(a.succeeded("Sarah", "10.0.0.2"));
        assertThat(result(b.begin("Sarah", "10.0.0.1")).allowed()).as("the guesser's own lock stays").isFalse();
        assertThat(result(b.begin("Sarah", "10.0.0.2")).allowed()).isTrue();
    }

    @Test
    void aSharedStrikeLimitFallsBackToTheNodesOwnCount() throws Exception {
        SharedStrikeLimit a = new SharedStrikeLimit(new SharedStrikes(client(SETTINGS)), "bad", 2,
                Duration.ofMinutes(1), Duration.ofMinutes(1), new Strikes<>(2, Duration.ofMinutes(1),
                Duration.ofMinutes(1), 100, clock));
        result(a.strike("10.0.0.1"));
        proxy.refuseNew();
        proxy.cutAll();
        result(a.strike("10.0.0.1"));
        assertThat(result(a.check("10.0.0.1"))).as("the node counted both").isEqualTo(new RateDecision.Limited(60));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Runs {@code calls} on a Vert.x context, as the routes do, and returns what it made. */
    private <T> T onContext(Supplier<T> calls) throws Exception {
        CompletableFuture<T> made = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> made.complete(calls.get()));
        return made.get(10, TimeUnit.SECONDS);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
