package dev.parley.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parley.server.testing.RedisServer;
import dev.parley.server.testing.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RedisFanOut against a real redis-server, with a TcpProxy in front of it to break the network. */
class RedisFanOutTest {
    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    /** Short deadlines so a dead feed is noticed within a second here (production: 1 s ping, 3 s deadline). */
    private static final RedisFanOut.Settings FAST = new RedisFanOut.Settings(Duration.ofMillis(100),
            Duration.ofMillis(600), Duration.ofMillis(20), Duration.ofMillis(200), 1000);
    /** Time enough for the deadline, a back-off and a reconnect; a wait ends as soon as its condition holds. */
    private static final Duration NOTICED = Duration.ofSeconds(5);

    private static final String PROBE = "probe";

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        redis.start(); // a test that stopped it leaves it running for the next
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void twoNodesReceiveEachOthersMessagesInPublishOrder() {
        RedisFanOut first = node(redis.port());
        RedisFanOut second = node(redis.port());
        Recorder atSecond = new Recorder();
        Recorder atFirst = new Recorder();
        second.subscribe("session:a", atSecond);
        first.subscribe("session:b", atFirst);
        awaitSubscribed(first, "session:a", atSecond);
        awaitSubscribed(second, "session:b", atFirst);

        IntStream.rangeClosed(1, 200).forEach(i -> first.publish("session:a", "a" + i));
        second.publish("session:b", "b1");

        List<String> expected = IntStream.rangeClosed(1, 200).mapToObj(i -> "a" + i).toList();
        await().atMost(NOTICED).until(() -> atSecond.messages.size() == expected.size());
        assertThat(atSecond.messages).containsExactlyElementsOf(expected);
        await().atMost(NOTICED).until(() -> atFirst.messages.contains("b1"));
        assertThat(atFirst.messages).containsExactly("b1");
        assertThat(first.healthy()).isTrue();
        assertThat(first.doorbellLag()).isPositive();
    }

    @Test
    void aSilentlyDeadLinkIsNoticedByTheSelfPingThenRepairedByItselfWhenTheNetworkHeals() {
        TcpProxy proxy = own(TcpProxy.to("127.0.0.1", redis.port()));
        RedisFanOut node = node(proxy.port());
        RedisFanOut peer = node(redis.port());
        AtomicInteger gaps = new AtomicInteger();
        node.onGap(gaps::incrementAndGet);
        Recorder seen = new Recorder();
        node.subscribe("session:s", seen);
        awaitSubscribed(peer, "session:s", seen);
        int gapsBefore = gaps.get();

        proxy.stall(); // the sockets stay open; nothing the test sends tells the node anything

        await().atMost(NOTICED).until(() -> !node.healthy() && gaps.get() > gapsBefore);
        int gapsWhileDown = gaps.get();

        proxy.heal();

        await().atMost(NOTICED).until(() -> node.healthy() && gaps.get() > gapsWhileDown);
        assertThat(node.reconnects()).isPositive();
        awaitSubscribed(peer, "session:s", seen); // resubscribed by itself
        peer.publish("session:s", "after");
        await().atMost(NOTICED).until(() -> seen.messages.contains("after"));
    }

    @Test
    void aResetLinkIsReplacedAndResubscribedAndTheGapListenersHearOfBoth() {
        TcpProxy proxy = own(TcpProxy.to("127.0.0.1", redis.port()));
        RedisFanOut node = node(proxy.port());
        RedisFanOut peer = node(redis.port());
        AtomicInteger gaps = new AtomicInteger();
        node.onGap(gaps::incrementAndGet);
        Recorder seen = new Recorder();
        node.subscribe("session:r", seen);
        awaitSubscribed(peer, "session:r", seen);
        int gapsBefore = gaps.get();

        proxy.cutAll();

        // One gap for the loss, one after the resubscription.
        await().atMost(NOTICED).until(() -> gaps.get() >= gapsBefore + 2 && node.healthy());
        awaitSubscribed(peer, "session:r", seen);
        peer.publish("session:r", "after");
        await().atMost(NOTICED).until(() -> seen.messages.contains("after"));
    }

    @Test
    void redisStoppedAndRestartedIsNoticedAndPublishingMeanwhileNeitherBlocksNorThrows() {
        RedisFanOut node = node(redis.port());
        RedisFanOut peer = node(redis.port());
        AtomicInteger gaps = new AtomicInteger();
        node.onGap(gaps::incrementAndGet);
        Recorder seen = new Recorder();
        node.subscribe("session:x", seen);
        awaitSubscribed(peer, "session:x", seen);

        redis.stop();
        await().atMost(NOTICED).until(() -> !node.healthy() && !peer.healthy() && gaps.get() >= 1);
        long droppedBefore = peer.dropped();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatCode(() ->
                IntStream.range(0, 10_000).forEach(i -> peer.publish("session:x", "lost " + i))).doesNotThrowAnyException());
        assertThat(peer.dropped() - droppedBefore).isEqualTo(10_000);
        int gapsWhileDown = gaps.get();

        redis.start();

        await().atMost(NOTICED).until(() -> node.healthy() && peer.healthy() && gaps.get() > gapsWhileDown);
        awaitSubscribed(peer, "session:x", seen);
        peer.publish("session:x", "back");
        await().atMost(NOTICED).until(() -> seen.messages.contains("back"));
        assertThat(seen.messages).noneMatch(m -> m.startsWith("lost"));
    }

    @Test
    void publishesBeyondTheInFlightBoundAreDroppedAndCountedWhileALinkHangs() {
        TcpProxy proxy = own(TcpProxy.to("127.0.0.1", redis.port()));
        RedisFanOut node = node(proxy.port());
        await().atMost(NOTICED).until(node::healthy);

        proxy.stall();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                IntStream.range(0, 5_000).forEach(i -> node.publish("session:y", "m" + i)));

        // 1000 may wait on the hung link; the rest were dropped at once, and the rest of those fail with it.
        assertThat(node.dropped()).isGreaterThanOrEqualTo(4_000);
        await().atMost(NOTICED).until(() -> !node.healthy());
        proxy.heal();
        await().atMost(NOTICED).until(node::healthy);
    }

    @Test
    void aNodeStartedWhileRedisIsDownServesOnAndConnectsWhenRedisComesUp() {
        TcpProxy proxy = own(TcpProxy.to("127.0.0.1", redis.port()));
        proxy.refuseNew();
        RedisFanOut node = node(proxy.port());
        AtomicInteger gaps = new AtomicInteger();
        node.onGap(gaps::incrementAndGet);

        await().atMost(NOTICED).until(() -> gaps.get() == 1); // the outage, once, however many attempts fail
        assertThat(node.healthy()).isFalse();
        assertThatCode(() -> node.publish("session:z", "while down")).doesNotThrowAnyException();
        proxy.heal();

        await().atMost(NOTICED).until(() -> node.healthy() && gaps.get() == 2); // connected: refill what was missed
        assertThat(node.reconnects()).isZero();
    }

    @Test
    void thousandsOfTopicsAreSubscribedAgainAfterAReconnect() {
        TcpProxy proxy = own(TcpProxy.to("127.0.0.1", redis.port()));
        RedisFanOut node = node(proxy.port());
        RedisFanOut peer = node(redis.port());
        Recorder first = new Recorder();
        Recorder last = new Recorder();
        node.subscribe("session:0", first);
        IntStream.range(1, 2999).forEach(i -> node.subscribe("session:" + i, message -> { }));
        node.subscribe("session:2999", last);
        awaitSubscribed(peer, "session:2999", last);
        long reconnects = node.reconnects();

        proxy.cutAll();
        await().atMost(NOTICED).until(() -> node.reconnects() > reconnects && node.healthy());

        awaitSubscribed(peer, "session:0", first);
        awaitSubscribed(peer, "session:2999", last);
    }

    @Test
    void eachRegistrationIsDeliveredOnceAndAClosedOneGetsNothingMore() {
        RedisFanOut node = node(redis.port());
        RedisFanOut peer = node(redis.port());
        Recorder kept = new Recorder();
        Recorder closed = new Recorder();
        List<String> twice = new CopyOnWriteArrayList<>();
        node.subscribe("session:t", kept);
        FanOut.Subscription subscription = node.subscribe("session:t", closed);
        node.subscribe("session:t", twice::add);
        node.subscribe("session:t", twice::add);
        awaitSubscribed(peer, "session:t", closed);
        subscription.close();

        peer.publish("session:t", "one");

        await().atMost(NOTICED).until(() -> kept.messages.contains("one") && twice.stream().filter("one"::equals).count() == 2);
        awaitSubscribed(peer, "session:t", kept); // anything "closed" could still get has arrived by now
        assertThat(closed.messages).isEmpty();
    }

    private RedisFanOut node(int port) {
        return own(RedisFanOut.connect("redis://127.0.0.1:" + port, FAST));
    }

    private <T extends AutoCloseable> T own(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Subscribing is asynchronous: probe until a probe arrives. */
    private static void awaitSubscribed(FanOut publisher, String topic, Recorder recorder) {
        recorder.probed = false;
        await().atMost(NOTICED).pollInterval(Duration.ofMillis(20)).until(() -> {
            publisher.publish(topic, PROBE);
            return recorder.probed;
        });
    }

    /** What a subscription received, probes aside. */
    private static final class Recorder implements Consumer<String> {
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile boolean probed;

        @Override
        public void accept(String message) {
            if (message.equals(PROBE)) {
                probed = true;
            } else {
                messages.add(message);
            }
        }
    }
}
