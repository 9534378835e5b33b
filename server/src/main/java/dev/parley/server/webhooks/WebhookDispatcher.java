package dev.parley.server.webhooks;

import dev.parley.server.agent.webhook.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox. On its own thread (never an event loop) it claims due rows every poll
 * interval — at most {@code concurrency} in flight per node — and POSTs each with the JDK client,
 * whose answers come back to this thread to be settled: 2xx deletes the row, anything else (a
 * status, a timeout, a refused connection) schedules the next attempt with back-off, and the last
 * failed attempt makes it a dead letter. Redirects are not followed.
 *
 * <p>At-least-once: a row is deleted only after a 2xx, so a node that stops or dies between the
 * answer and the delete (or mid-attempt) leaves it to be sent again once its lease runs out; the
 * receiver recognises the repeat by {@code Parley-Webhook-Id}.
 */
public final class WebhookDispatcher implements AutoCloseable {
    public static final String THREAD_NAME = "parley-webhooks";
    /** The idempotency key: the delivery id, the same for every attempt. */
    public static final String ID_HEADER = "Parley-Webhook-Id";
    public static final String EVENT_HEADER = "X-Parley-Event";
    public static final String ATTEMPT_HEADER = "X-Parley-Attempt";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR_LENGTH = 200;

    private final WebhookStore store;
    private final WebhookSecrets secrets;
    private final HttpClient http;
    private final WebhookDeliverySettings settings;
    private final Clock clock;
    private final String nodeId;
    private final Backoff backoff;
    private final ScheduledExecutorService thread;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    public WebhookDispatcher(WebhookStore store, WebhookSecrets secrets, HttpClient http,
                             WebhookDeliverySettings settings, Clock clock, String nodeId, RandomGenerator random) {
        this.store = store;
        this.secrets = secrets;
        this.http = http;
        this.settings = settings;
        this.clock = clock;
        this.nodeId = nodeId;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    /** The client deliveries use: no redirects, connections bounded by the attempt timeout. */
    public static HttpClient httpClient(WebhookDeliverySettings settings) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.attemptTimeout()).build();
    }

    public void start() {
        long period = settings.pollInterval().toMillis();
        thread.scheduleWithFixedDelay(this::poll, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Deliveries sent and not yet settled (a gauge). */
    public int inFlight() {
        return inFlight.get();
    }

    private void poll() {
        if (closed) {
            return;
        }
        int room = settings.concurrency() - inFlight.get();
        if (room <= 0) {
            return;
        }
        Instant now = clock.instant();
        List<WebhookDelivery> claimed;
        try {
            claimed = store.claim(nodeId, now, now.plus(settings.lease()), room);
        } catch (RuntimeException e) {
            LOG.warn("cannot claim webhook deliveries: {}", e.getMessage());
            return;
        }
        for (WebhookDelivery d : claimed) {
            inFlight.incrementAndGet();
            send(d).whenCompleteAsync((outcome, failure) -> settle(d, outcome, failure), thread);
        }
        if (claimed.size() == room) {
            thread.execute(this::poll); // a backlog: take more as soon as there is room, not a poll later
        }
    }

    private CompletableFuture<Integer> send(WebhookDelivery d) {
        try {
            String body = WebhookBody.of(d);
            String secret = secrets.open(d.subscriptionId(), d.sealedSecret());
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(d.url()))
                    .timeout(settings.attemptTimeout())
                    .header("Content-Type", "application/json")
                    .header(ID_HEADER, d.id())
                    .header(EVENT_HEADER, d.type())
                    .header(ATTEMPT_HEADER, Integer.toString(d.attempt()))
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void settle(WebhookDelivery d, Integer status, Throwable failure) {
        try {
            if (failure == null && status >= 200 && status < 300) {
                store.delivered(d.id());
                return;
            }
            String error = failure == null ? "status " + status : describe(failure);
            Instant now = clock.instant();
            if (d.attempt() >= settings.maxAttempts()) {
                store.deadLetter(d.id(), nodeId, now, error);
                LOG.warn("webhook delivery {} ({}) to {} is a dead letter after {} attempts: {}", d.id(), d.type(),
                        d.subscriptionId(), d.attempt(), error);
            } else {
                store.retryLater(d.id(), nodeId, now.plus(backoff.after(d.attempt())), error);
                LOG.debug("webhook delivery {} attempt {} failed: {}", d.id(), d.attempt(), error);
            }
        } catch (RuntimeException e) {
            // The row keeps its lease; when it runs out the delivery is claimed again (at-least-once).
            LOG.warn("cannot settle webhook delivery {}: {}", d.id(), e.getMessage());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static String describe(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String text = t instanceof HttpTimeoutException ? "timeout" : "connection: " + t;
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /**
     * Stops claiming. Attempts in flight are not waited for: their rows keep their leases and are
     * sent again by whichever node claims them after the lease (the receiver deduplicates).
     */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            thread.awaitTermination(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
