package dev.parley.server.fanout;

import java.util.function.Consumer;

/**
 * The cross-node doorbell port: tells other nodes that something happened to a session. It is
 * never the truth — the store is. Messages may be lost (a dead link, a restart), so every receiver
 * tracks what it has delivered and refills from the store when {@link #onGap} fires or when a
 * message shows it missed something. Framework-free so the session core can use it; adapters are
 * {@link InMemoryFanOut} (one process, tests) and a Redis one (production mode).
 */
public interface FanOut extends AutoCloseable {

    /** Sends one message to every current subscriber of the topic. Fire and forget; never blocks. */
    void publish(String topic, String message);

    /**
     * Delivers every later message on the topic to the handler, one at a time and in publish order
     * per publishing node, on no particular thread (hop before real work). Idempotent per handler
     * registration: two subscriptions get two deliveries.
     */
    Subscription subscribe(String topic, Consumer<String> handler);

    /**
     * Registers a listener run whenever messages may have been lost: after a reconnect, or when the
     * feed's own liveness check failed. Receivers refill from the store then.
     */
    void onGap(Runnable listener);

    /** Whether the feed is proven alive right now (its last self-check came back in time). */
    boolean healthy();

    /** Stops delivering; later publishes are dropped. */
    @Override
    void close();

    /** An active subscription; closing it stops its deliveries. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
