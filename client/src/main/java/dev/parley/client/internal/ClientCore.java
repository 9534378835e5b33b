package dev.parley.client.internal;

import dev.parley.client.ClientOptions;
import dev.parley.client.Timers;
import java.net.http.HttpClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the conversations of one {@code ParleyClient} share: options, timers, the HTTP client and
 * its executor. Thread-safe. On {@link #close()} the HTTP client is dropped so that the JDK's
 * selector thread can end (Java 17's {@link HttpClient} has no close method; it stops once the
 * client is unreachable and idle).
 */
public final class ClientCore implements AutoCloseable {
    private final ClientOptions options;
    private final Timers timers;
    /** Non-null only when the client created the timers and must stop them. */
    private final ExecutorTimers ownedTimers;
    private final ExecutorService httpExecutor;
    /** Any thread; {@code null} once closed. */
    private volatile HttpClient http;
    private final Backoff backoff;
    private final Set<RealConversation> conversations = ConcurrentHashMap.newKeySet();

    public ClientCore(ClientOptions options) {
        this.options = options;
        this.ownedTimers = options.timers() == null ? new ExecutorTimers() : null;
        this.timers = options.timers() == null ? ownedTimers : options.timers();
        this.httpExecutor = Executors.newCachedThreadPool(new NamedThreads("parley-client-http"));
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .executor(httpExecutor)
                .build();
        this.backoff = new Backoff(options.reconnectInitialDelay(), options.reconnectMaxDelay(),
                options.reconnectJitter(), () -> ThreadLocalRandom.current().nextDouble());
    }

    public ClientOptions options() {
        return options;
    }

    Timers timers() {
        return timers;
    }

    /** The HTTP client, or {@code null} after {@link #close()}. */
    HttpClient http() {
        return http;
    }

    Backoff backoff() {
        return backoff;
    }

    void register(RealConversation conversation) {
        conversations.add(conversation);
    }

    void unregister(RealConversation conversation) {
        conversations.remove(conversation);
    }

    /** Closes every conversation (waiting briefly for each), then the timers and HTTP threads. */
    @Override
    public void close() {
        for (RealConversation conversation : Set.copyOf(conversations)) {
            conversation.closeAndAwait(java.time.Duration.ofSeconds(2));
        }
        http = null;
        httpExecutor.shutdown();
        if (ownedTimers != null) {
            ownedTimers.close();
        }
    }
}
