package dev.parley.server.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryFanOutTest {

    @Test
    void aMessagePublishedByOneNodeReachesTheSubscribersOfEveryNodeOnTheHubInOrder() {
        try (InMemoryFanOut.Hub hub = new InMemoryFanOut.Hub()) {
            FanOut first = hub.node();
            FanOut second = hub.node();
            List<String> seen = new CopyOnWriteArrayList<>();
            second.subscribe("events", seen::add);
            first.subscribe("other", message -> seen.add("wrong topic: " + message));

            first.publish("events", "1");
            first.publish("events", "2");

            await().until(() -> seen.size() == 2);
            assertThat(seen).containsExactly("1", "2");
        }
    }

    @Test
    void aClosedSubscriptionOrNodeGetsNothingMoreAndGapListenersRunOnSignal() {
        try (InMemoryFanOut.Hub hub = new InMemoryFanOut.Hub()) {
            InMemoryFanOut node = hub.node();
            List<String> seen = new CopyOnWriteArrayList<>();
            FanOut.Subscription subscription = node.subscribe("events", seen::add);
            node.subscribe("events", message -> seen.add("still: " + message));
            subscription.close();
            AtomicInteger gaps = new AtomicInteger();
            node.onGap(gaps::incrementAndGet);

            node.publish("events", "a");
            await().until(() -> seen.size() == 1);
            node.signalGap();
            node.close();
            node.publish("events", "b");

            assertThat(seen).containsExactly("still: a");
            assertThat(gaps).hasValue(1);
            assertThat(node.healthy()).isFalse();
        }
    }
}
